package dev.meshpilot.proxy.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.policy.SourceFile;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.endpoint.EndpointRegistry;
import dev.meshpilot.proxy.route.Telemetry;
import dev.meshpilot.proxy.sidecar.Sidecar;
import dev.meshpilot.proxy.testing.Eventually;
import dev.meshpilot.proxy.testing.Tutorial;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tutorial 7.10 with {@code external-service.yaml} unchanged: a workload that uses its sidecar as HTTP proxy calls
 * http://ifconfig.co/ (routed by the ServiceEntry's http port) and https://ifconfig.co/ (a CONNECT tunnel routed by
 * the VirtualService's tls route on the ClientHello's SNI, TLS end to end). Local servers stand in for ifconfig.co.
 */
class TutorialEgressTest {

    private final ExternalServer http = new ExternalServer();
    private final ExternalTlsServer https = new ExternalTlsServer("ifconfig.co");
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Sidecar sidecar;
    private HttpClient client;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        http.close();
        https.close();
    }

    @Test
    void anHttpCallToIfconfigCoReachesTheExternalHost() throws Exception {
        start(Tutorial.read("external-service.yaml"));

        HttpResponse<String> response = client.send(get("http://ifconfig.co/"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("external 127.0.0.1");
        awaitLog("\"authority\":\"ifconfig.co\"", "\"response_code\":200",
                "\"upstream_cluster\":\"outbound|80||ifconfig.co\"");
    }

    @Test
    void anHttpsCallTunnelsToIfconfigCoBySniWithTlsEndToEnd() throws Exception {
        start(Tutorial.read("external-service.yaml"));

        HttpResponse<String> response = client.send(get("https://ifconfig.co/"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("external-tls 127.0.0.1");
        assertThat(https.requests()).isEqualTo(1);
        client.shutdownNow(); // the tunnel's log line is written when it closes
        awaitLog("\"method\":\"CONNECT\"", "\"authority\":\"ifconfig.co:443\"",
                "\"upstream_cluster\":\"outbound|443||ifconfig.co\"", "\"route_name\":\"default/ifconfig-co\"",
                "\"upstream_host\":\"127.0.0.1:" + https.port() + "\"");
    }

    @Test
    void anHttpCallReachesTheHttpServiceEntryHost() throws Exception {
        start(Tutorial.read("external-service.yaml").split("(?m)^---$")[0]);

        HttpResponse<String> response = client.send(get("http://ifconfig.co/"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("external 127.0.0.1");
        awaitLog("\"authority\":\"ifconfig.co\"", "\"response_code\":200",
                "\"upstream_cluster\":\"outbound|80||ifconfig.co\"");
    }

    @Test
    void severalHttpsCallsShareOrOpenTunnelsAndAllArrive() throws Exception {
        start(Tutorial.read("external-service.yaml"));

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = client.send(get("https://ifconfig.co/?n=" + i),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }

        assertThat(https.requests()).isEqualTo(5);
    }

    @Test
    void registryOnlyRefusesAConnectToAHostOutsideTheRegistryWith502AndSaysWhy() {
        start(Tutorial.read("external-service.yaml") + "\n---\n" + """
                apiVersion: networking.istio.io/v1alpha3
                kind: Sidecar
                metadata:
                  name: default
                spec:
                  outboundTrafficPolicy:
                    mode: REGISTRY_ONLY
                """);

        assertThatThrownBy(() -> client.send(get("https://unlisted.example/"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class).hasMessageContaining("502");
        awaitLog("\"method\":\"CONNECT\"", "\"response_code\":502", "\"upstream_cluster\":\"BlackHoleCluster\"",
                "REGISTRY_ONLY: unlisted.example is not in the service registry");
    }

    @Test
    void registryOnlyStillTunnelsToTheServiceEntryHost() throws Exception {
        start(Tutorial.read("external-service.yaml") + "\n---\n" + """
                apiVersion: networking.istio.io/v1alpha3
                kind: Sidecar
                metadata:
                  name: default
                spec:
                  outboundTrafficPolicy:
                    mode: REGISTRY_ONLY
                """);

        HttpResponse<String> response = client.send(get("https://ifconfig.co/"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("external-tls 127.0.0.1");
    }

    @Test
    void aConnectToAStaticServiceEntryGoesToItsEndpointWithoutAskingTheResolver() throws Exception {
        start("""
                apiVersion: networking.istio.io/v1alpha3
                kind: ServiceEntry
                metadata:
                  name: ifconfig-static
                spec:
                  hosts:
                  - ifconfig.co
                  ports:
                  - number: 8443
                    name: https
                    protocol: TLS
                  resolution: STATIC
                  endpoints:
                  - address: 127.0.0.1
                    ports:
                      https: %d
                """.formatted(https.port()));

        HttpResponse<String> response = client.send(get("https://ifconfig.co:8443/"),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("external-tls 127.0.0.1");
    }

    @Test
    void aTunnelToAHostThatDoesNotResolveIsClosedAndLoggedUh() {
        start(Tutorial.read("external-service.yaml"));

        assertThatThrownBy(() -> client.send(get("https://nowhere.invalid/"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        awaitLog("\"method\":\"CONNECT\"", "\"authority\":\"nowhere.invalid:443\"", "\"response_flags\":\"UH\"");
    }

    /** A sidecar for workload default/client with this configuration, and a client that uses it as HTTP proxy. */
    private void start(String yaml) {
        sidecar = new Sidecar("127.0.0.1", "client-abcde", ProxyRef.sidecar("default", "client",
                Map.of("app", "client"), "default"), new EndpointRegistry(), 100, Telemetry.none(), this::resolve);
        closing.add(sidecar);
        sidecar.apply(Tutorial.compile("v1", List.of(new SourceFile("external-service.yaml", yaml))));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .proxy(ProxySelector.of(sidecar.outboundAddress())).sslContext(https.clientContext()).build();
        closing.add(client::shutdownNow);
    }

    /** ifconfig.co:80 and :443 are the local servers; every other name does not resolve. */
    private InetSocketAddress resolve(String host, int port) throws UnknownHostException {
        if (host.equals("ifconfig.co") && port == 80) {
            return new InetSocketAddress("127.0.0.1", http.port());
        }
        if (host.equals("ifconfig.co") && port == 443) {
            return new InetSocketAddress("127.0.0.1", https.port());
        }
        throw new UnknownHostException(host + ":" + port + " (test resolver: not an allowed name)");
    }

    /** Whether the snapshot routes plain http to {@code host} from this sidecar (not an unrouted registry host). */

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build();
    }

    private void awaitLog(String... parts) {
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(sidecar.log().buffer().last(100))
                .anySatisfy(line -> assertThat(line).contains(parts)));
    }
}
