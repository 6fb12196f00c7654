package dev.meshpilot.proxy.gateway;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.meshpilot.proxy.gateway.tls.GatewayCredentials;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;

/** The mesh of {@link GatewayHttpsTest}: its Gateway, VirtualServices and ServiceEntry, and the PASSTHROUGH backend. */
final class HttpsGatewayFixtures {

    private HttpsGatewayFixtures() {}

    static HttpsServer backend(TestPki pki) throws Exception {
        TestPki.Issued issued = pki.issue("secure.example.com");
        Path dir = Files.createTempDirectory("backend");
        pki.writeCredential(dir, issued);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        SSLContext context = new GatewayCredentials(null).load(new GatewayServer(
                "test/backend", "test", 0, 443, "HTTPS", List.of("secure.example.com"), new ServerTls("SIMPLE", false,
                dir.resolve("tls.crt").toString(), dir.resolve("tls.key").toString(), null, null)));
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            byte[] body = "backend over tls".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    static String gatewayYaml(Path files, int backendPort) {
        return """
                apiVersion: networking.istio.io/v1alpha3
                kind: Gateway
                metadata:
                  name: https-gateway
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["hello.example.com"]
                    tls: {httpsRedirect: true}
                  - port: {number: 443, name: https-hello, protocol: HTTPS}
                    hosts: ["hello.example.com"]
                    tls: {mode: SIMPLE, credentialName: hello-credential}
                  - port: {number: 443, name: https-bonjour, protocol: HTTPS}
                    hosts: ["*.example.com"]
                    tls: {mode: SIMPLE, serverCertificate: %1$s/bonjour.crt, privateKey: %1$s/bonjour.key}
                  - port: {number: 443, name: https-mutual, protocol: HTTPS}
                    hosts: ["mutual.example.com"]
                    tls: {mode: MUTUAL, credentialName: mutual-credential}
                  - port: {number: 443, name: https-broken, protocol: HTTPS}
                    hosts: ["broken.test"]
                    tls: {mode: SIMPLE, credentialName: broken-credential}
                  - port: {number: 443, name: tls-secure, protocol: TLS}
                    hosts: ["secure.example.com"]
                    tls: {mode: PASSTHROUGH}
                  - port: {number: 443, name: https-mesh, protocol: HTTPS}
                    hosts: ["mesh.example.com"]
                    tls: {mode: ISTIO_MUTUAL}
                  - port: {number: 80, name: http-plain, protocol: HTTP}
                    hosts: ["plain.example.com"]
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata:
                  name: hello-https
                spec:
                  hosts: ["hello.example.com", "bonjour.example.com", "mutual.example.com", "broken.test",
                          "plain.example.com", "mesh.example.com"]
                  gateways: ["https-gateway"]
                  http:
                  - match:
                    - uri: {prefix: /hello}
                    route:
                    - destination: {host: hello.default.svc.cluster.local, port: {number: 8080}}
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata:
                  name: secure
                spec:
                  hosts: ["secure.example.com"]
                  gateways: ["https-gateway"]
                  tls:
                  - match:
                    - port: 443
                      sniHosts: ["secure.example.com"]
                    route:
                    - destination: {host: secure.example.com, port: {number: 443}}
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: ServiceEntry
                metadata:
                  name: secure
                spec:
                  hosts: ["secure.example.com"]
                  location: MESH_EXTERNAL
                  ports:
                  - {number: 443, name: tls, protocol: TLS}
                  resolution: STATIC
                  endpoints:
                  - address: 127.0.0.1
                    ports: {tls: %2$d}
                """.formatted(files, backendPort);
    }
}
