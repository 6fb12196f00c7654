package dev.meshpilot.proxy.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.workload.EnvVar;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EchoEnvironmentTest {

    private static final EchoEnvironment.PodInfo POD = new EchoEnvironment.PodInfo("hello-v3-x7k2p", "default", "default");

    @Test
    void expandsPodNameFromFieldRefIntoLaterVariables() {
        Map<String, String> env = EchoEnvironment.resolve(List.of(new EnvVar("MY_POD_NAME", null, "metadata.name"),
                new EnvVar("TEXT", "hello, this is $(MY_POD_NAME)", null)), POD);

        assertThat(env).containsEntry("MY_POD_NAME", "hello-v3-x7k2p")
                .containsEntry("TEXT", "hello, this is hello-v3-x7k2p");
    }

    @Test
    void keepsUnknownReferencesAndEscapedDollarsLiterally() {
        assertThat(EchoEnvironment.expand("$(NOPE) costs $$(A) $(A)", Map.of("A", "1"))).isEqualTo("$(NOPE) costs $(A) 1");
    }

    @Test
    void referencesOnlyVariablesDefinedEarlier() {
        Map<String, String> env = EchoEnvironment.resolve(List.of(new EnvVar("TEXT", "x $(LATER)", null),
                new EnvVar("LATER", "y", null)), POD);
        assertThat(env).containsEntry("TEXT", "x $(LATER)");
    }
}
