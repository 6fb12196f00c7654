package dev.meshpilot.policy.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.policy.Seed;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.route.WeightedDestination;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteWeightEditorTest {
    static final String HELLO = "hello.default.svc.cluster.local";

    @Test
    void findsTheCanarySplit() {
        List<CanaryRoute> routes = CanaryRoutes.find(List.of(Seed.file("helloworld-gw.yaml"), Seed.canaryRenamed()));
        assertThat(routes).containsExactly(new CanaryRoute("helloworld-v2-canary.yaml", "default", "helloworld-canary",
                List.of("hello.example.com"), List.of("helloworld-gateway"), 0,
                List.of(new WeightedDestination(HELLO, "v1", 8080, 90), new WeightedDestination(HELLO, "v2", 8080, 10))));
    }

    @Test
    void changesOnlyTheWeightLines() {
        String yaml = Seed.file("helloworld-v2-canary.yaml").content();
        String edited = RouteWeightEditor.setWeights(yaml, "helloworld", 0, List.of(70, 30));
        List<String> before = yaml.lines().toList();
        List<String> after = edited.lines().toList();
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i).trim().startsWith("weight:")) {
                assertThat(after.get(i)).isNotEqualTo(before.get(i));
            } else {
                assertThat(after.get(i)).as("line " + (i + 1)).isEqualTo(before.get(i));
            }
        }
        assertThat(after.get(30)).isEqualTo("      weight: 70");
        assertThat(after.get(36)).isEqualTo("      weight: 30");
        assertThat(edited.endsWith("\n")).isEqualTo(yaml.endsWith("\n"));
    }

    @Test
    void keepsCommentsAndQuotesAroundOtherFields() {
        String yaml = """
                # top comment
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: vs}   # flow metadata
                spec:
                  hosts: ["a"]
                  http:
                  - route:
                    - destination: {host: a, subset: v1}  # one
                      weight: "50" # half
                    - weight: 50
                      destination:
                        host: a
                        subset: v2 # two
                """;
        String edited = RouteWeightEditor.setWeights(yaml, "vs", 0, List.of(25, 75));
        assertThat(edited).isEqualTo(yaml.replace("weight: \"50\" # half", "weight: 25 # half")
                .replace("- weight: 50", "- weight: 75"));
    }

    @Test
    void addsAWeightLineWhenADestinationHasNone() {
        String yaml = """
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata:
                  name: helloworld
                spec:
                  hosts:
                  - "hello.example.com"
                  http:
                  - route:
                    - destination:
                        host: hello.default.svc.cluster.local
                        subset: v2 # match v2 only
                      weight: 100
                    - destination:
                        host: hello.default.svc.cluster.local
                        port:
                          number: 8080 # the port
                """;
        // rule 0 now has two destinations: v2 (weight 100) and v1 (no weight)
        String edited = RouteWeightEditor.setWeights(yaml, "helloworld", 0, List.of(60, 40));
        assertThat(edited).contains("    weight: 60\n")
                .contains("          number: 8080 # the port\n      weight: 40\n");
        assertThat(CanaryRoutes.find(List.of(new SourceFile("x.yaml", edited))).get(0).destinations())
                .extracting(WeightedDestination::weight).containsExactly(60, 40);
    }

    @Test
    void editsTheRightDocumentInAMultiDocumentFile() {
        String yaml = Seed.file("helloworld-gw.yaml").content() + "---\n" + Seed.canaryRenamed().content();
        String edited = RouteWeightEditor.setWeights(yaml, "helloworld-canary", 0, List.of(0, 100));
        assertThat(edited).startsWith(Seed.file("helloworld-gw.yaml").content()).contains("weight: 0\n")
                .contains("weight: 100");
    }

    @Test
    void rejectsWeightsThatDoNotFit() {
        String yaml = Seed.file("helloworld-v2-canary.yaml").content();
        assertThatThrownBy(() -> RouteWeightEditor.setWeights(yaml, "helloworld", 0, List.of(70, 20)))
                .hasMessageContaining("add up to 90");
        assertThatThrownBy(() -> RouteWeightEditor.setWeights(yaml, "helloworld", 0, List.of(110, -10)))
                .hasMessage("weight: 110 (expected: 0..100)");
        assertThatThrownBy(() -> RouteWeightEditor.setWeights(yaml, "other", 0, List.of(100)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteWeightEditor.setWeights(yaml, "helloworld", 3, List.of(50, 50)))
                .hasMessageContaining("rule: 3");
    }
}
