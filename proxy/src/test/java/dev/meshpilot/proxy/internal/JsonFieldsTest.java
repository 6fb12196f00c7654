package dev.meshpilot.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Extra access-log fields are appended as valid JSON, whatever the reason text holds. */
class JsonFieldsTest {

    @Test
    void appendsFieldsInOrderWithNullsAndEscapes() {
        Map<String, @Nullable String> fields = new LinkedHashMap<>();
        fields.put("authz_policy", "default/x");
        fields.put("authz_rule", null);
        fields.put("authz_reason", "say \"no\"\n\\ \u0001 \u2028 \ud83d\ude00 \ud800");
        assertThat(JsonFields.append("{\"a\":1}", fields)).isEqualTo("{\"a\":1,\"authz_policy\":\"default/x\","
                + "\"authz_rule\":null,\"authz_reason\":\"say \\\"no\\\"\\n\\\\ \\u0001 \\u2028 \ud83d\ude00 \\ud800\"}");
    }

    @Test
    void appendsToAnEmptyObject() {
        assertThat(JsonFields.append("{}", Map.of("k", "v"))).isEqualTo("{\"k\":\"v\"}");
    }

    @Test
    void refusesWhatIsNotAnObject() {
        assertThatThrownBy(() -> JsonFields.append("[1]", Map.of("k", "v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: a JSON object");
    }
}
