package dev.meshpilot.console.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server on 127.0.0.1 (HTTP, a free port) in mixed mode: expectations first (TokenReview), the
 * CRUD store for everything else, like {@code @EnableKubernetesMockClient(crud = true)} but usable as a Spring bean;
 * with the CRDs of Istio's networking and security kinds, as a cluster with Istio has them.
 */
final class MockCluster {

    private MockCluster() {}

    static KubernetesMockServer start() {
        MockServerLog.quiet();
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        try (NamespacedKubernetesClient client = server.createClient()) {
            for (String kind : List.of("VirtualService", "DestinationRule", "Gateway", "ServiceEntry")) {
                client.resource(crd("networking.istio.io", "v1alpha3", kind)).create();
            }
            for (String kind : List.of("AuthorizationPolicy", "PeerAuthentication", "RequestAuthentication")) {
                client.resource(crd("security.istio.io", "v1beta1", kind)).create();
            }
        }
        return server;
    }

    private static CustomResourceDefinition crd(String group, String version, String kind) {
        String singular = kind.toLowerCase(Locale.ROOT);
        String plural = singular.endsWith("y") ? singular.substring(0, singular.length() - 1) + "ies" : singular + "s";
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(singular).endNames()
                .addNewVersion().withName(version).withServed(true).withStorage(true).endVersion()
                .endSpec()
                .build();
    }

    /** How a client reaches {@code server}. */
    static Config config(KubernetesMockServer server) {
        try (NamespacedKubernetesClient client = server.createClient()) {
            return client.getConfiguration();
        }
    }
}
