package dev.meshpilot.proxy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.testing.Tutorial;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Which way a JWKS fetch goes: as the workload's own call would, through the mesh for hosts the mesh serves. */
class MeshJwksFetcherTest {

    private static final ProxyRef HELLO = ProxyRef.sidecar("default", "hello", Map.of("app", "hello", "version", "v1"),
            "default");
    private static final InetSocketAddress OUTBOUND = new InetSocketAddress("127.0.0.1", 15001);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress("127.0.0.1", 8081);

    private static MeshJwksFetcher fetcher(@Nullable MeshSnapshot snapshot, @Nullable InetSocketAddress gateway) {
        return new MeshJwksFetcher(HELLO, () -> snapshot, () -> OUTBOUND, () -> gateway,
                Executors.newVirtualThreadPerTaskExecutor());
    }

    private static MeshSnapshot tutorial() {
        return Tutorial.snapshot("jwt", "helloworld-jwt.yaml", "helloworld-jwt-enable.yaml");
    }

    @Test
    void hostOnlyAGatewayServesGoesThroughTheIngressGateway() {
        try (MeshJwksFetcher fetcher = fetcher(tutorial(), GATEWAY)) {
            assertThat(fetcher.route(URI.create("http://auth.kubernetes.newtech.academy/.well-known/jwks.json")))
                    .isEqualTo(MeshJwksFetcher.Route.GATEWAY);
        }
    }

    @Test
    void serviceHostGoesThroughTheSidecarsOutboundListener() {
        try (MeshJwksFetcher fetcher = fetcher(tutorial(), GATEWAY)) {
            assertThat(fetcher.route(URI.create("http://auth.default.svc.cluster.local:8080/.well-known/jwks.json")))
                    .isEqualTo(MeshJwksFetcher.Route.OUTBOUND);
            assertThat(fetcher.route(URI.create("http://auth:8080/.well-known/jwks.json")))
                    .isEqualTo(MeshJwksFetcher.Route.OUTBOUND);
        }
    }

    @Test
    void otherHostsHttpsAndAMissingGatewayGoDirectly() {
        try (MeshJwksFetcher fetcher = fetcher(tutorial(), null)) {
            assertThat(fetcher.route(URI.create("http://auth.kubernetes.newtech.academy/.well-known/jwks.json")))
                    .isEqualTo(MeshJwksFetcher.Route.DIRECT);
            assertThat(fetcher.route(URI.create("https://auth.default.svc.cluster.local:8080/jwks")))
                    .isEqualTo(MeshJwksFetcher.Route.DIRECT);
            assertThat(fetcher.route(URI.create("http://127.0.0.1:9/jwks"))).isEqualTo(MeshJwksFetcher.Route.DIRECT);
        }
        try (MeshJwksFetcher fetcher = fetcher(null, GATEWAY)) {
            assertThat(fetcher.route(URI.create("http://auth:8080/jwks"))).isEqualTo(MeshJwksFetcher.Route.DIRECT);
        }
    }
}
