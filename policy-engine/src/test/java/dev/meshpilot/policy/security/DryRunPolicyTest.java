package dev.meshpilot.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.Seed;
import dev.meshpilot.policy.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An AuthorizationPolicy annotated istio.io/dry-run: "true" is evaluated in shadow mode only: it never decides. */
class DryRunPolicyTest {
    static String policy(String name, String dryRun, String action, String path) {
        return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: " + name
                + "\n  namespace: foo\n  annotations: {istio.io/dry-run: \"" + dryRun + "\"}\nspec:\n  action: " + action
                + "\n  rules: [{to: [{operation: {paths: [\"" + path + "\"]}}]}]\n---\n";
    }

    static AuthzRequest get(String path) {
        return new AuthzRequest(null, null, null, "httpbin", "GET", path, 8000, Map.of(), Map.of());
    }

    @Test
    void dryRunPoliciesNeverDecide() {
        MeshSnapshot s = Seed.compile(List.of(new SourceFile("p.yaml", policy("shadow-deny", "true", "DENY", "/admin")
                + policy("shadow-allow", "True", "ALLOW", "/only") + policy("real-deny", "false", "DENY", "/secret"))));
        assertThat(s.authorize("foo", Map.of(), get("/admin")).allowed()).isTrue();
        assertThat(s.authorize("foo", Map.of(), get("/other")).allowed()).as("the dry-run ALLOW does not restrict").isTrue();
        assertThat(s.authorize("foo", Map.of(), get("/secret")).policy()).isEqualTo("foo/real-deny");
    }

    @Test
    void aValueThatIsNoBooleanIsAnError() {
        assertThat(MeshCompiler.compile("v", List.of(new SourceFile("p.yaml", policy("p", "yes", "DENY", "/x")))).errors())
                .singleElement().satisfies(f -> assertThat(f.toString()).isEqualTo("p.yaml:6 AuthorizationPolicy foo/p: "
                        + "metadata.annotations.istio.io/dry-run: istio.io/dry-run: yes (expected: \"true\" or \"false\")"));
    }
}
