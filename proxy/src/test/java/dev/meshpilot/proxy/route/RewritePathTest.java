package dev.meshpilot.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Envoy's path rewrites: the matched prefix replaced, or a regex substitution with {@code \1} groups. */
class RewritePathTest {

    @Test
    void replacesTheMatchedPrefixAndKeepsTheRestAndTheQuery() {
        RouteExtras.Rewrite rewrite = new RouteExtras.Rewrite("/v2", "/api/v1", null, null, null);

        assertThat(RouteActions.rewritePath("/api/v1/items?q=1", rewrite)).isEqualTo("/v2/items?q=1");
        assertThat(RouteActions.rewritePath("/other", rewrite)).isEqualTo("/other");
    }

    @Test
    void anExactMatchIsReplacedWhole() {
        assertThat(RouteActions.rewritePath("/login", new RouteExtras.Rewrite("/auth/login", "/login", null, null,
                null))).isEqualTo("/auth/login");
    }

    @Test
    void aRegexRewriteSubstitutesGroupsLikeRe2() {
        RouteExtras.Rewrite rewrite = new RouteExtras.Rewrite(null, "/", Pattern.compile("^/service/([^/]+)(/.*)$"),
                "\\2/instance/\\1", null);

        assertThat(RouteActions.rewritePath("/service/foo/v1/api?x=$1", rewrite)).isEqualTo("/v1/api/instance/foo?x=$1");
        assertThat(RouteActions.javaReplacement("$literal\\1")).isEqualTo("\\$literal$1");
    }

    @Test
    void aRewriteNeedsBothRegexAndSubstitution() {
        assertThatThrownBy(() -> new RouteExtras.Rewrite(null, "/", Pattern.compile("x"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uriRegexRewrite");
    }

    @Test
    void shadowHostKeepsThePort() {
        assertThat(Mirror.shadow("hello.example.com")).isEqualTo("hello.example.com-shadow");
        assertThat(Mirror.shadow("world:8080")).isEqualTo("world-shadow:8080");
    }
}
