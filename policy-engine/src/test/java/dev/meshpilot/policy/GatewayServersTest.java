package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.GatewayServer;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.ServerTls;
import dev.meshpilot.policy.route.ServerTls.Mode;
import dev.meshpilot.policy.route.ServerTls.ProtocolVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MeshSnapshot#gatewayServers}: the public model of Gateway servers and the checks of their tls blocks. */
class GatewayServersTest {

    static String gateway(String name, String selector, String servers) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: %s, namespace: shop}
                spec:
                  selector: %s
                  servers:
                %s---
                """.formatted(name, selector, servers);
    }

    static final String HTTPS = """
              - port: {number: 80, name: http, protocol: http}
                hosts: ["shop/Web.Example.com"]
                tls: {httpsRedirect: true}
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: ["web.example.com"]
                tls:
                  mode: MUTUAL
                  credentialName: web-credential
                  subjectAltNames: [client.example.com]
                  minProtocolVersion: TLSV1_2
                  maxProtocolVersion: TLSV1_3
                  cipherSuites: [ECDHE-RSA-AES256-GCM-SHA384]
              - port: {number: 8443, protocol: HTTPS}
                hosts: ["files.example.com"]
                tls: {mode: SIMPLE, serverCertificate: /etc/certs/tls.crt, privateKey: /etc/certs/tls.key}
            """;

    static CompileResult compile(String yaml) {
        return MeshCompiler.compile("v1", List.of(new SourceFile("gw.yaml", yaml)));
    }

    @Test
    void listsEveryServerOfTheGatewaysSelectingTheIngressGatewayWithTheirTls() {
        MeshSnapshot s = Seed.compile(List.of(new SourceFile("gw.yaml", gateway("web", "{istio: ingressgateway}", HTTPS)
                + gateway("other", "{istio: egressgateway}", "  - port: {number: 80, protocol: HTTP}\n    hosts: [\"*\"]\n"))));

        List<GatewayServer> servers = s.gatewayServers(ProxyRef.ingressGateway());

        assertThat(servers).extracting(GatewayServer::index).containsExactly(0, 1, 2);
        GatewayServer redirect = servers.get(0);
        assertThat(redirect.gateway()).isEqualTo("shop/web");
        assertThat(redirect.namespace()).isEqualTo("shop");
        assertThat(redirect.name()).isEqualTo("web");
        assertThat(redirect.protocol()).isEqualTo("HTTP");
        assertThat(redirect.portName()).isEqualTo("http");
        assertThat(redirect.hosts()).containsExactly("shop/web.example.com");
        assertThat(redirect.tls()).isEqualTo(new ServerTls(null, true, null, null, null, null, List.of(), null, null,
                List.of()));
        assertThat(redirect.file()).isEqualTo("gw.yaml");
        assertThat(redirect.line()).isEqualTo(7);
        assertThat(servers.get(1).tls()).isEqualTo(new ServerTls(Mode.MUTUAL, false, null, null, null,
                "web-credential", List.of("client.example.com"), ProtocolVersion.TLSV1_2, ProtocolVersion.TLSV1_3,
                List.of("ECDHE-RSA-AES256-GCM-SHA384")));
        GatewayServer files = servers.get(2);
        assertThat(files.portNumber()).isEqualTo(8443);
        assertThat(files.portName()).isNull();
        assertThat(files.tls().mode()).isEqualTo(Mode.SIMPLE);
        assertThat(files.tls().serverCertificate()).isEqualTo("/etc/certs/tls.crt");
        assertThat(files.tls().privateKey()).isEqualTo("/etc/certs/tls.key");
    }

    @Test
    void sidecarsAndUnselectedGatewaysGetNoServers() {
        MeshSnapshot s = Seed.compile(List.of(new SourceFile("gw.yaml", gateway("web", "{istio: egressgateway}", HTTPS))));

        assertThat(s.gatewayServers(ProxyRef.ingressGateway())).isEmpty();
        assertThat(s.gatewayServers(ProxyRef.sidecar("shop", "web", Map.of("istio", "egressgateway"), "default")))
                .isEmpty();
    }

    @Test
    void unknownTlsModeAndProtocolVersionAreInvalidValues() {
        CompileResult r = compile(gateway("web", "{istio: ingressgateway}", """
                  - port: {number: 443, protocol: HTTPS}
                    hosts: ["*"]
                    tls: {mode: simple, credentialName: c, minProtocolVersion: TLSV1_3, maxProtocolVersion: TLSV1_4}
                """));

        assertThat(r.snapshot()).isNull();
        assertThat(r.findings()).extracting(Finding::toString).containsExactly(
                "gw.yaml:9 Gateway shop/web: spec.servers[0].tls.mode: mode: simple (expected: one of PASSTHROUGH, "
                        + "SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL)",
                "gw.yaml:9 Gateway shop/web: spec.servers[0].tls.maxProtocolVersion: maxProtocolVersion: TLSV1_4 "
                        + "(expected: one of TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3)");
    }

    @Test
    void minProtocolVersionAboveMaxIsAnInvalidValue() {
        CompileResult r = compile(gateway("web", "{istio: ingressgateway}", """
                  - port: {number: 443, protocol: HTTPS}
                    hosts: ["*"]
                    tls: {mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_3, maxProtocolVersion: TLSV1_2}
                """));

        assertThat(r.findings()).extracting(Finding::field, Finding::message).containsExactly(org.assertj.core.groups
                .Tuple.tuple("spec.servers[0].tls.minProtocolVersion", "minProtocolVersion: TLSV1_3 (expected: <= "
                        + "maxProtocolVersion TLSV1_2)"));
    }

    @Test
    void terminatingModesWithoutCredentialsAndIstioMutualWithFilesAreRejected() {
        CompileResult r = compile(gateway("web", "{istio: ingressgateway}", """
                  - port: {number: 443, protocol: HTTPS}
                    hosts: ["a.example.com"]
                    tls: {mode: SIMPLE, serverCertificate: /c.crt}
                  - port: {number: 443, protocol: HTTPS}
                    hosts: ["b.example.com"]
                    tls: {mode: MUTUAL, serverCertificate: /c.crt, privateKey: /c.key}
                  - port: {number: 443, protocol: HTTPS}
                    hosts: ["c.example.com"]
                    tls: {mode: ISTIO_MUTUAL, credentialName: c}
                  - port: {number: 443, protocol: TLS}
                    hosts: ["d.example.com"]
                    tls: {mode: PASSTHROUGH}
                """));

        assertThat(r.findings()).extracting(Finding::field, Finding::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("spec.servers[0].tls.privateKey",
                        "required field is missing: mode SIMPLE needs privateKey (a file path) or credentialName"),
                org.assertj.core.groups.Tuple.tuple("spec.servers[1].tls.caCertificates",
                        "required field is missing: mode MUTUAL needs caCertificates (a file path) or credentialName"),
                org.assertj.core.groups.Tuple.tuple("spec.servers[2].tls.credentialName", "credentialName: set "
                        + "(expected: none with mode ISTIO_MUTUAL, which uses the mesh's workload certificates)"));
    }

    @Test
    void tlsOfTheWrongTypeIsReported() {
        CompileResult r = compile(gateway("web", "{istio: ingressgateway}", """
                  - port: {number: 80, protocol: HTTP}
                    hosts: ["*"]
                    tls: {httpsRedirect: yes please}
                """));

        assertThat(r.findings()).extracting(Finding::field).containsExactly("spec.servers[0].tls.httpsRedirect");
    }
}
