package dev.meshpilot.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import dev.meshpilot.proxy.fleet.FleetOptions;
import dev.meshpilot.proxy.gateway.TestPki;
import dev.meshpilot.proxy.testing.Tutorial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet whose resolver maps {@value #HOST} (any port) to the current {@link OriginServer} on 127.0.0.1 and refuses
 * every other name; a test CA whose certificate is written to {@link #caFile()}; the YAML of Istio's egress TLS
 * origination task (ServiceEntry with ports 80 and 443, a VirtualService sending port 80 to 443, a
 * DestinationRule with port-level {@code tls}) and of a {@code client} echo calling {@code http://<NEXT>/}.
 */
final class TlsOriginationFixture implements AutoCloseable {

    static final String HOST = "external.example";

    final TestPki pki = new TestPki("origination test CA");
    final Path dir;
    final Path credentials;
    private final AtomicInteger target = new AtomicInteger(1);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final EmbeddedFleet fleet;

    TlsOriginationFixture(Path dir) {
        this.dir = dir;
        this.credentials = dir.resolve("credentials");
        HostResolver resolver = (host, port) -> {
            if (!host.equals(HOST)) {
                throw new UnknownHostException(host + " (test resolver: not an allowed name)");
            }
            return new InetSocketAddress("127.0.0.1", target.get());
        };
        write("ca.pem", TestPki.pem(pki.certificate()));
        fleet = new EmbeddedFleet(FleetOptions.localhost().withResolver(resolver).withCredentialsDirectory(credentials));
        fleet.start();
    }

    /** Where {@value #HOST} goes from now on. */
    <T extends OriginServer> T serve(T server) {
        target.set(server.port());
        return server;
    }

    /** An HTTPS server for {@code certificateName} issued by {@code ca}. */
    OriginServer https(TestPki ca, String certificateName, boolean requireClientCertificate) {
        return serve(OriginServer.https(ca.clientContext(ca.issue(certificateName)), requireClientCertificate));
    }

    Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** Writes the client certificate and key of {@code name} (issued by the test CA); returns {cert, key}. */
    List<Path> clientFiles(String name) {
        TestPki.Issued client = pki.issue(name);
        return List.of(write(name + ".crt", TestPki.pem(client.certificate())),
                write(name + ".key", TestPki.pem(client.keys().getPrivate())));
    }

    Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void apply(String yaml) {
        fleet.apply(Tutorial.compile("v" + System.nanoTime(), List.of(new SourceFile("origination.yaml", yaml))));
    }

    /** GET / at the client workload's sidecar inbound listener (the echo calls its NEXT through its sidecar). */
    HttpResponse<String> callClient() {
        List<Endpoint> endpoints = fleet.registry().all().stream().filter(e -> e.deployment().equals("client"))
                .toList();
        assertThat(endpoints).hasSize(1);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoints.get(0).hostPort() + "/"))
                .timeout(Duration.ofSeconds(20)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        fleet.close();
        http.shutdownNow();
    }

    static String client(String next) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: client}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: client}}
                  template:
                    metadata: {labels: {app: client}}
                    spec:
                      containers:
                      - name: client
                        image: wardviaene/http-echo
                        env:
                        - {name: TEXT, value: client}
                        - {name: NEXT, value: "%s"}
                ---
                """.formatted(next);
    }

    /** Istio's egress TLS origination task: the app speaks HTTP to port 80, the sidecar sends port 443 over TLS. */
    static String egressPattern(String tls) {
        return client(HOST) + """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: external}
                spec:
                  hosts: [external.example]
                  ports:
                  - {number: 80, name: http-port, protocol: HTTP}
                  - {number: 443, name: https-port, protocol: HTTPS}
                  resolution: DNS
                  location: MESH_EXTERNAL
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: external}
                spec:
                  hosts: [external.example]
                  http:
                  - match:
                    - port: 80
                    route:
                    - destination:
                        host: external.example
                        port: {number: 443}
                ---
                """ + destinationRule(443, tls);
    }

    /** A DestinationRule for {@value #HOST} with {@code tls} (flow YAML) at {@code port}. */
    static String destinationRule(int port, String tls) {
        return """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: external}
                spec:
                  host: external.example
                  trafficPolicy:
                    portLevelSettings:
                    - port: {number: %d}
                      tls: %s
                ---
                """.formatted(port, tls);
    }
}
