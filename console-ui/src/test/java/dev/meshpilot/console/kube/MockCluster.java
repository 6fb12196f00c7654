package dev.meshpilot.console.kube;

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
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server on 127.0.0.1 (HTTP, a free port) in mixed mode: expectations first (TokenReview), the
 * CRUD store for everything else, like {@code @EnableKubernetesMockClient(crud = true)} but usable as a Spring bean.
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
        return server;
    }

    /** How a client reaches {@code server}. */
    static Config config(KubernetesMockServer server) {
        try (NamespacedKubernetesClient client = server.createClient()) {
            return client.getConfiguration();
        }
    }
}
