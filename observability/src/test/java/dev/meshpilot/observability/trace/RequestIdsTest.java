package dev.meshpilot.observability.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void keepsAnExistingRequestId() {
        assertThat(RequestIds.ensure("abc-123")).isEqualTo("abc-123");
    }

    @Test
    void generatesVersion4UuidsWhenMissingOrBlank() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String id = RequestIds.ensure(i % 2 == 0 ? null : " ");
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(500);
    }
}
