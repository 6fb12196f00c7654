package dev.meshpilot.proxy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Istio's BASE normalization, case by case (the table of istio.io's "Authorization Policy Normalization"). */
class PathNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/, /",
            "'', /",
            "/a/../b, /b",
            "/public/./data/abc/../xyz, /public/data/xyz",
            "/../../admin, /admin",
            "/admin/.., /",
            "/a/b/.., /a/",
            "/a/., /a/",
            "/public/%2e%2e/admin, /admin",
            "/public/%2E%2E/admin, /admin",
            "/some/data/%61%62%63, /some/data/abc",
            "/%7Euser/%2d%5f, /~user/-_",
            "/a//b, /a//b",
            "//admin, //admin",
            "/%2Fadmin, /%2Fadmin",
            "/%2fadmin, /%2Fadmin",
            "/a%5cb, /a%5Cb",
            "/some\\data, /some/data",
            "/public\\..\\admin, /admin",
            "/a%zzb, /a%zzb",
            "/a%2, /a%2",
            "/x/, /x/",
    })
    void normalizesAsIstioBase(String raw, String expected) {
        PathNormalizer.Normalized normalized = PathNormalizer.normalize(raw);
        assertThat(normalized).isNotNull();
        assertThat(normalized.path()).isEqualTo(expected);
        assertThat(normalized.query()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%00b", "/%00", "/public/%00/../admin"})
    void rejectsAnEncodedNul(String raw) {
        assertThat(PathNormalizer.normalize(raw)).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/a/../b?x=/../y, /b, x=/../y",
            "/foo?v=1, /foo, v=1",
            "/foo?, /foo, ''",
    })
    void keepsTheQueryAsIsAndMatchesThePathOnly(String raw, String path, String query) {
        PathNormalizer.Normalized normalized = PathNormalizer.normalize(raw);
        assertThat(normalized).isNotNull();
        assertThat(normalized.path()).isEqualTo(path);
        assertThat(normalized.query()).isEqualTo(query);
        assertThat(normalized.pathAndQuery()).isEqualTo(path + "?" + query);
    }
}
