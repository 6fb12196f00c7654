package dev.meshpilot.policy.edit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.Seed;
import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.WeightedDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * parse → edit → write keeps every untouched line: 300 seeded cases of one to four successive random weight edits of
 * the tutorial's canary and routing files. A failure names its seed; the same seed replays it.
 */
class WeightEditPropertyTest {
    static final String CANARY = "helloworld-v2-canary.yaml";
    static final String ROUTING = "helloworld-v2-routing.yaml";

    record Edit(int rule, List<Integer> weights) {}

    @Test
    void randomWeightEditsKeepEveryNonWeightLineAndStillCompile() {
        String gateway = gatewayOnly(Seed.file("helloworld-gw.yaml").content());
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            String name = random.nextBoolean() ? CANARY : ROUTING;
            String original = Seed.file(name).content();
            String yaml = original;
            List<Edit> edits = new ArrayList<>();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                Edit edit = randomEdit(random, name);
                edits.add(edit);
                yaml = RouteWeightEditor.setWeights(yaml, "helloworld", edit.rule(), edit.weights());
            }
            String context = "seed " + seed + ", " + name + ", edits " + edits;
            assertThat(withoutWeightLines(yaml)).as(context).isEqualTo(withoutWeightLines(original));
            assertThat(yaml.endsWith("\n")).as(context).isEqualTo(original.endsWith("\n"));
            int added = yaml.lines().toList().size() - original.lines().toList().size();
            assertThat(added).as(context + ": weight lines added only for destinations without one")
                    .isBetween(0, name.equals(CANARY) ? 0 : 2);
            CompileResult result = MeshCompiler.compile("p", List.of(new SourceFile("gw.yaml", gateway),
                    Seed.file("helloworld.yaml"), Seed.file("helloworld-v2.yaml"), new SourceFile(name, yaml)));
            assertThat(result.errors()).as(context).isEmpty();
            if (name.equals(CANARY)) {
                Edit last = edits.get(edits.size() - 1);
                RouteDecision d = result.snapshot().route(ProxyRef.ingressGateway(),
                        new RequestAttributes("GET", "hello.example.com", "/", 80, Map.of()));
                assertThat(d.destinations()).as(context).extracting(WeightedDestination::weight)
                        .containsExactlyElementsOf(last.weights());
            }
        }
    }

    private static Edit randomEdit(Random random, String name) {
        if (name.equals(ROUTING)) {
            return new Edit(random.nextInt(2), List.of(100));
        }
        int first = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 100;
            default -> random.nextInt(101);
        };
        return new Edit(0, List.of(first, 100 - first));
    }

    private static List<String> withoutWeightLines(String yaml) {
        return yaml.lines().filter(l -> !l.trim().startsWith("weight:")).toList();
    }

    private static String gatewayOnly(String gwFile) {
        for (String doc : gwFile.split("(?m)^---\\s*$")) {
            if (doc.contains("kind: Gateway")) {
                return doc.strip() + "\n";
            }
        }
        throw new AssertionError("helloworld-gw.yaml holds no Gateway");
    }
}
