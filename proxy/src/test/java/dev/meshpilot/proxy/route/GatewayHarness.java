package dev.meshpilot.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.gateway.IngressGateway;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.GatewayClient;
import dev.meshpilot.proxy.testing.Tutorial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ingress gateway in front of real {@link Backend} servers registered as the endpoints of the Service
 * {@code backend} (namespace default, selector {@code app: backend}, port 8080), routed by the YAML a test applies
 * next to that Service and a Gateway for every host.
 */
final class GatewayHarness implements AutoCloseable {

    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: backend
            spec:
              selector:
                app: backend
              ports:
              - name: http
                port: 8080
            ---
            apiVersion: networking.istio.io/v1alpha3
            kind: Gateway
            metadata:
              name: gw
            spec:
              selector:
                istio: ingressgateway
              servers:
              - port:
                  number: 80
                  name: http
                  protocol: HTTP
                hosts:
                - "*"
            ---
            """;

    private final EndpointRegistry registry = new EndpointRegistry();
    private final IngressGateway gateway = new IngressGateway("127.0.0.1", 0, 80, registry, 1000,
            Telemetry.none());
    private final GatewayClient client = new GatewayClient(gateway.address().getPort());
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .proxy(ProxySelector.of(gateway.address())).build();
    private final List<Backend> backends = new ArrayList<>();

    /** Starts a backend and registers it as endpoint {@code name} with {@code app: backend} and these labels. */
    Backend backend(String name, Map<String, String> labels) {
        Backend backend = new Backend(name);
        backends.add(backend);
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put("app", "backend");
        registry.register(new Endpoint(name, "default", "backend", all, "default", backend.address()));
        return backend;
    }

    /** Starts a backend that is no mesh endpoint (a host outside the mesh, reached through a ServiceEntry). */
    Backend externalBackend(String name) {
        Backend backend = new Backend(name);
        backends.add(backend);
        return backend;
    }

    Backend backend(String name) {
        return backend(name, Map.of("version", "v1"));
    }

    /** {@code 127.0.0.1:port} of backend {@code name}. */
    String hostOf(String name) {
        for (Backend b : backends) {
            if (b.name().equals(name)) {
                return b.address().getHostString() + ":" + b.address().getPort();
            }
        }
        throw new IllegalArgumentException("backend: " + name + " (expected: one of " + backends.stream()
                .map(Backend::name).toList() + ")");
    }

    void deregister(String name) {
        registry.deregister(name);
    }

    /** Compiles the Service, the Gateway and {@code yaml}; applies it to the gateway. */
    void apply(String yaml) {
        gateway.apply(Tutorial.compile("v1", List.of(new SourceFile("test.yaml", SERVICE + yaml))));
    }

    GatewayClient client() {
        return client;
    }

    /** Any method, through the gateway as the client's HTTP proxy. */
    HttpResponse<String> send(String method, String host, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<String> logs() {
        return gateway.log().buffer().last(1000);
    }

    /** Waits until an access-log line of the gateway contains every one of {@code parts}. */
    void awaitLog(String... parts) {
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(logs()).anySatisfy(line -> assertThat(line)
                .contains(parts)));
    }

    @Override
    public void close() {
        client.close();
        http.shutdownNow();
        gateway.close();
        backends.forEach(Backend::close);
    }
}
