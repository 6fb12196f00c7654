package dev.meshpilot.sync.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Installs the Istio CRDs the tests need, as a cluster with Istio has them. */
final class IstioCrds {

    /** Held strongly so its level sticks: the mock server logs every request at INFO. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
    }

    private IstioCrds() {}

    /** Only quiets the mock server's request log (for tests that need no CRDs). */
    static void quietMockServer() {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
    }

    static void install(KubernetesClient client) {
        for (String kind : new String[] {"VirtualService", "DestinationRule", "Gateway"}) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd("networking.istio.io", kind)).create();
        }
    }

    private static CustomResourceDefinition crd(String group, String kind) {
        String plural = kind.toLowerCase(Locale.ROOT) + "s";
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec()
                .withGroup(group)
                .withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(Locale.ROOT))
                .endNames()
                .addNewVersion().withName("v1alpha3").withServed(true).withStorage(true).endVersion()
                .endSpec()
                .build();
    }
}
