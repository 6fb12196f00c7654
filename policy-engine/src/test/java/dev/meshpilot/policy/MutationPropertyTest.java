package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random edits of the tutorial's files never make the compiler throw or report an internal error. */
class MutationPropertyTest {

    record Mutation(int kind, double where, double length, String text) {
        String apply(String yaml) {
            if (yaml.isEmpty()) {
                return text;
            }
            int at = (int) (where * yaml.length());
            int end = Math.min(yaml.length(), at + (int) (length * 40));
            List<String> lines = new ArrayList<>(yaml.lines().toList());
            int line = (int) (where * lines.size());
            return switch (kind) {
                case 0 -> yaml.substring(0, at) + yaml.substring(end);
                case 1 -> yaml.substring(0, at) + text + yaml.substring(at);
                case 2 -> yaml.substring(0, at) + text + yaml.substring(end);
                case 3 -> {
                    lines.add(line, lines.get(Math.min(line, lines.size() - 1)));
                    yield String.join("\n", lines);
                }
                default -> {
                    lines.set(line, " ".repeat((int) (length * 6)) + lines.get(line).strip());
                    yield String.join("\n", lines);
                }
            };
        }
    }

    private static final List<String> TEXTS = List.of(":", "- ", "  ", "\n", "{", "}", "[", "]", "*", "&a ", "*a",
            "!!int ", "'", "\"", "# x", "100", "-1", "null", "~", "weight: 7", "subset: v9", "host: ", "---\n", "\t",
            "apiVersion: v1", "kind: Deployment", "kind: VirtualService", "gateways: [x]", "? ", "|\n", ">-\n");

    /** 300 seeded cases: a failure names its seed, and the same seed replays it. */
    @Test
    void randomEditsNeverCrashAnalysis() {
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            String name = Seed.FILES.get(random.nextInt(Seed.FILES.size()));
            Mutation first = mutation(random);
            Mutation second = mutation(random);
            SourceFile original = Seed.file(name);
            String mutated = second.apply(first.apply(original.content()));
            CompileResult result = MeshCompiler.compile("p", List.of(new SourceFile(name, mutated),
                    Seed.file("helloworld-gw.yaml")));
            String context = "seed " + seed + ", " + name + " after " + first + " and " + second;
            assertThat(result.findings()).as(context).noneMatch(f -> f.code().equals("MP0000"));
            assertThat(result.accepted()).as(context).isEqualTo(result.errors().isEmpty());
            for (Finding f : result.errors()) {
                assertThat(f.file()).as(context).isNotNull();
                assertThat(f.message()).as(context).doesNotContain("Exception");
            }
        }
    }

    private static Mutation mutation(Random random) {
        return new Mutation(random.nextInt(5), random.nextDouble() * 0.99, random.nextDouble(),
                TEXTS.get(random.nextInt(TEXTS.size())));
    }
}
