package dev.meshpilot.observability.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

    static AccessLogEntry entry(String path, String policy) {
        return new AccessLogEntry(Instant.parse("2026-11-24T17:42:00.123456Z"), "GET", "hello.example.com", path,
                "HTTP/1.1", 200, "-", 12, 345, 7, "127.0.0.1:40001", "outbound|80|v1|hello.default.svc.cluster.local",
                "default", "5f0c2a8e-1c1e-4b8e-9a57-0d0f3f3c6d10", "4bf92f3577b34da6a3ce929d0e0e4736",
                "spiffe://cluster.local/ns/default/sa/sleep", "127.0.0.1:51234", "destination", policy);
    }

    @Test
    void writesEnvoyStyleKeysInOneLine() {
        String line = AccessLogFormat.json(entry("/hello", null));

        assertThat(line).isEqualTo("{\"start_time\":\"2026-11-24T17:42:00.123Z\",\"method\":\"GET\","
                + "\"authority\":\"hello.example.com\",\"path\":\"/hello\",\"protocol\":\"HTTP/1.1\","
                + "\"response_code\":200,\"response_flags\":\"-\",\"bytes_received\":12,\"bytes_sent\":345,"
                + "\"duration\":7,\"upstream_host\":\"127.0.0.1:40001\","
                + "\"upstream_cluster\":\"outbound|80|v1|hello.default.svc.cluster.local\",\"route_name\":\"default\","
                + "\"x_request_id\":\"5f0c2a8e-1c1e-4b8e-9a57-0d0f3f3c6d10\","
                + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"peer_identity\":\"spiffe://cluster.local/ns/default/sa/sleep\","
                + "\"downstream_remote_address\":\"127.0.0.1:51234\",\"reporter\":\"destination\",\"policy\":null}");
    }

    @Test
    void writesJsonNullForAbsentValues() {
        AccessLogEntry entry = new AccessLogEntry(Instant.EPOCH, null, null, null, null, 0, null, 0, 0, 0, null, null,
                null, null, null, null, null, "gateway", "default/deny-all");

        assertThat(AccessLogFormat.json(entry)).isEqualTo("{\"start_time\":\"1970-01-01T00:00:00.000Z\","
                + "\"method\":null,\"authority\":null,\"path\":null,\"protocol\":null,\"response_code\":0,"
                + "\"response_flags\":null,\"bytes_received\":0,\"bytes_sent\":0,\"duration\":0,"
                + "\"upstream_host\":null,\"upstream_cluster\":null,\"route_name\":null,\"x_request_id\":null,"
                + "\"trace_id\":null,\"peer_identity\":null,\"downstream_remote_address\":null,"
                + "\"reporter\":\"gateway\",\"policy\":\"default/deny-all\"}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String line = AccessLogFormat.json(entry("/a\"b\\c\nd\re\tf\bg\fh\u0000i\u001fj\u007fk", null));

        assertThat(line).contains("\"path\":\"/a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0000i\\u001fj\\u007fk\"")
                .doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void keepsUnicodeAndEscapesLineSeparatorsAndLoneSurrogates() {
        String line = AccessLogFormat.json(entry("/é/日本/😀/\u2028\u2029/\ud800x", null));

        assertThat(line).contains("\"path\":\"/é/日本/😀/\\u2028\\u2029/\\ud800x\"");
    }

    @Test
    void appendsExtraFieldsInOrderWithNullsAndEscapes() {
        Map<String, @Nullable String> fields = new LinkedHashMap<>();
        fields.put("authz_policy", "default/x");
        fields.put("authz_rule", null);
        fields.put("authz_reason", "say \"no\"\n\\ \u0001 \u2028 \ud83d\ude00 \ud800");

        String line = AccessLogFormat.json(entry("/", null), fields);

        assertThat(line).endsWith("\"policy\":null,\"authz_policy\":\"default/x\",\"authz_rule\":null,"
                + "\"authz_reason\":\"say \\\"no\\\"\\n\\\\ \\u0001 \\u2028 \ud83d\ude00 \\ud800\"}");
    }

    @Test
    void rejectsNegativeSizes() {
        assertThatThrownBy(() -> new AccessLogEntry(Instant.EPOCH, null, null, null, null, 200, null, -1, 0, 0, null,
                null, null, null, null, null, null, "source", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytesReceived: -1");
    }
}
