package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.policy.route.ClientTls;
import dev.meshpilot.policy.route.ClientTls.Mode;
import dev.meshpilot.policy.route.TrafficPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DestinationRule {@code tls} (Istio's ClientTLSSettings): parsed whole, overridden per port and subset, checked. */
class ClientTlsTest {

    static CompileResult compile(String spec) {
        return MeshCompiler.compile("t", List.of(new SourceFile("dr.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: external, namespace: shop}
                spec:
                  host: external.example
                %s""".formatted(spec.indent(2)))));
    }

    static TrafficPolicy policy(CompileResult r, String subset, int port) {
        assertThat(r.errors()).isEmpty();
        return r.snapshot().trafficPolicy("shop", "external.example", subset, port);
    }

    @Test
    void exposesEveryFieldOfTheTlsBlock() {
        CompileResult r = compile("""
                trafficPolicy:
                  tls:
                    mode: MUTUAL
                    clientCertificate: /etc/certs/client.pem
                    privateKey: /etc/certs/client-key.pem
                    caCertificates: /etc/certs/ca.pem
                    subjectAltNames: [external.example, alt.example]
                    sni: sni.example
                """);

        TrafficPolicy p = policy(r, null, 443);

        assertThat(p.tls()).isEqualTo(new ClientTls(Mode.MUTUAL, "/etc/certs/client.pem", "/etc/certs/client-key.pem",
                "/etc/certs/ca.pem", null, List.of("external.example", "alt.example"), "sni.example", false));
        assertThat(p.tlsMode()).isEqualTo("MUTUAL");
        assertThat(p.tls().originates()).isTrue();
    }

    @Test
    void portLevelAndSubsetTlsReplaceTheWholeBlock() {
        CompileResult r = compile("""
                trafficPolicy:
                  tls: {mode: SIMPLE, sni: top.example, caCertificates: /ca.pem}
                  portLevelSettings:
                  - port: {number: 443}
                    tls: {mode: SIMPLE, insecureSkipVerify: true}
                  - port: {number: 8443}
                    loadBalancer: {simple: RANDOM}
                subsets:
                - name: v1
                  labels: {version: v1}
                  trafficPolicy:
                    tls: {mode: MUTUAL, credentialName: client-credential}
                - name: v2
                  labels: {version: v2}
                  trafficPolicy:
                    loadBalancer: {simple: LEAST_REQUEST}
                """);

        assertThat(policy(r, null, 80).tls()).isEqualTo(new ClientTls(Mode.SIMPLE, null, null, "/ca.pem", null,
                List.of(), "top.example", false));
        assertThat(policy(r, null, 443).tls()).as("port level: no sni or CA from the top level")
                .isEqualTo(new ClientTls(Mode.SIMPLE, null, null, null, null, List.of(), null, true));
        assertThat(policy(r, null, 8443).tls().sni()).as("a port without tls keeps the top level's").isEqualTo("top.example");
        assertThat(policy(r, "v1", 443).tls()).isEqualTo(new ClientTls(Mode.MUTUAL, null, null, null,
                "client-credential", List.of(), null, false));
        assertThat(policy(r, "v2", 8443).tls().sni()).isEqualTo("top.example");
        assertThat(policy(r, "v2", 8443).loadBalancer()).isEqualTo("LEAST_REQUEST");
    }

    @Test
    void mutualWithoutCertificateOrKeyOrCredentialIsAnErrorAtItsLine() {
        CompileResult r = compile("""
                trafficPolicy:
                  portLevelSettings:
                  - port: {number: 443}
                    tls:
                      mode: MUTUAL
                      caCertificates: /ca.pem
                """);

        assertThat(r.errors()).extracting(Finding::toString).containsExactly(
                "dr.yaml:10 DestinationRule shop/external: spec.trafficPolicy.portLevelSettings[0].tls.clientCertificate: "
                        + "required field is missing: mode MUTUAL needs clientCertificate (a file path) or credentialName",
                "dr.yaml:10 DestinationRule shop/external: spec.trafficPolicy.portLevelSettings[0].tls.privateKey: "
                        + "required field is missing: mode MUTUAL needs privateKey (a file path) or credentialName");
        assertThat(compile("trafficPolicy:\n  tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem}\n")
                .errors()).isEmpty();
        assertThat(compile("trafficPolicy:\n  tls: {mode: MUTUAL, credentialName: client}\n").errors()).isEmpty();
        assertThat(compile("trafficPolicy:\n  tls: {mode: SIMPLE}\n").errors()).as("SIMPLE needs no files").isEmpty();
    }

    @Test
    void filesBesideACredentialNameAreAnError() {
        CompileResult r = compile("""
                subsets:
                - name: v1
                  labels: {version: v1}
                  trafficPolicy:
                    tls:
                      mode: SIMPLE
                      credentialName: client
                      caCertificates: /ca.pem
                """);

        assertThat(r.errors()).extracting(Finding::toString).containsExactly("dr.yaml:13 DestinationRule shop/external: "
                + "spec.subsets[0].trafficPolicy.tls.caCertificates: caCertificates: set (expected: none with "
                + "credentialName client, which holds the certificate, key and CA certificates)");
    }

    @Test
    void insecureSkipVerifyOnlyWithOrigination() {
        CompileResult r = compile("trafficPolicy:\n  tls:\n    mode: ISTIO_MUTUAL\n    insecureSkipVerify: true\n");

        assertThat(r.errors()).extracting(Finding::toString).containsExactly("dr.yaml:9 DestinationRule shop/external: "
                + "spec.trafficPolicy.tls.insecureSkipVerify: insecureSkipVerify: true (expected: only with mode "
                + "SIMPLE or MUTUAL, not ISTIO_MUTUAL)");
    }

    @Test
    void anUnknownModeIsAnErrorAndLeavesNoTls() {
        CompileResult r = compile("trafficPolicy:\n  tls: {mode: STRICT}\n");

        assertThat(r.errors()).extracting(Finding::code).containsExactly("MP0103");
        assertThat(r.errors().get(0).message()).contains("mode: STRICT (expected: one of DISABLE, SIMPLE, MUTUAL");
    }

    @Test
    void theOldConstructorsStillWorkAndAModeGivesAModeOnlyBlock() {
        TrafficPolicy old = new TrafficPolicy("SIMPLE", null, null, null);

        assertThat(old.tls()).isEqualTo(ClientTls.of(Mode.SIMPLE));
        assertThat(new TrafficPolicy(null, "RANDOM", null, null, null).tls()).isNull();
        assertThat(new TrafficPolicy(null, null, null, null, null, ClientTls.of(Mode.DISABLE)).tlsMode())
                .isEqualTo("DISABLE");
        assertThat(old.overriddenBy(new TrafficPolicy(null, "RANDOM", null, null)).tlsMode()).isEqualTo("SIMPLE");
        assertThat(old.overriddenBy(new TrafficPolicy("DISABLE", null, null, null)).tls())
                .isEqualTo(ClientTls.of(Mode.DISABLE));
        assertThatThrownBy(() -> new TrafficPolicy("DISABLE", null, null, null, null, ClientTls.of(Mode.SIMPLE)))
                .hasMessage("tlsMode: DISABLE (expected: SIMPLE, the mode of tls)");
    }
}
