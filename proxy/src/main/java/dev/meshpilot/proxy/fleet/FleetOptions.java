package dev.meshpilot.proxy.fleet;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.egress.HostResolver;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where the fleet listens.
 *
 * @param bindHost      the address every server binds ({@code 127.0.0.1})
 * @param gatewayPort   the ingress gateway's port, 0 for any free port
 * @param resolver      where sidecars reach hosts outside the mesh (ServiceEntry hosts with {@code resolution: DNS},
 *                      passed-through calls); {@link HostResolver#SYSTEM} unless given
 * @param ca            where the workload certificates of the sidecars and the gateway come from;
 *                      {@link FleetCa#temporary()} unless given
 * @param operatorToken the mesh's secret for {@code x-meshpilot-debug} (a request carrying it learns why it was
 *                      allowed or denied in {@code x-meshpilot-authz}); null: the operator header is off
 * @param gatewayHttpsPort the ingress gateway's HTTPS port, where Gateway servers of port 443 are served (as
 *                      istio-ingressgateway's Service maps 443 to its container port); 0 for any free port
 * @param credentials   where {@code tls.credentialName} of Gateway servers and of DestinationRules (TLS
 *                      origination) is looked up: the runtime's {@code <data>/credentials}
 *                      ({@code <namespace>/<credentialName>/tls.crt, tls.key, ca.crt}); null: credentialName servers
 *                      do not start, credentialName origination fails
 */
public record FleetOptions(String bindHost, int gatewayPort, HostResolver resolver, FleetCa ca,
        @Nullable String operatorToken, int gatewayHttpsPort, @Nullable Path credentials) {
    public FleetOptions {
        requireNonNull(bindHost, "bindHost");
        requireNonNull(resolver, "resolver");
        requireNonNull(ca, "ca");
        if (gatewayPort < 0 || gatewayPort > 65535) {
            throw new IllegalArgumentException("gatewayPort: " + gatewayPort + " (expected: 0..65535)");
        }
        if (gatewayHttpsPort < 0 || gatewayHttpsPort > 65535) {
            throw new IllegalArgumentException("gatewayHttpsPort: " + gatewayHttpsPort + " (expected: 0..65535)");
        }
    }

    /** Any free HTTPS port for the gateway, no credentials directory. */
    public FleetOptions(String bindHost, int gatewayPort, HostResolver resolver, FleetCa ca,
            @Nullable String operatorToken) {
        this(bindHost, gatewayPort, resolver, ca, operatorToken, 0, null);
    }

    /** A CA in a temporary directory per fleet, no operator token. */
    public FleetOptions(String bindHost, int gatewayPort, HostResolver resolver) {
        this(bindHost, gatewayPort, resolver, FleetCa.temporary(), null);
    }

    /** The system's DNS for hosts outside the mesh. */
    public FleetOptions(String bindHost, int gatewayPort) {
        this(bindHost, gatewayPort, HostResolver.SYSTEM);
    }

    /** {@code 127.0.0.1}, any free gateway port. */
    public static FleetOptions localhost() {
        return new FleetOptions("127.0.0.1", 0);
    }

    /** These options with {@code resolver} for hosts outside the mesh. */
    public FleetOptions withResolver(HostResolver resolver) {
        return new FleetOptions(bindHost, gatewayPort, resolver, ca, operatorToken, gatewayHttpsPort, credentials);
    }

    /** These options with the CA kept in {@code caDir} (created there on first start; outside any git repository). */
    public FleetOptions withCaDirectory(Path caDir) {
        return new FleetOptions(bindHost, gatewayPort, resolver, FleetCa.directory(caDir), operatorToken,
                gatewayHttpsPort, credentials);
    }

    /** These options with {@code ca} issuing the workload certificates. */
    public FleetOptions withCa(WorkloadCertificateAuthority ca) {
        return new FleetOptions(bindHost, gatewayPort, resolver, FleetCa.of(ca), operatorToken, gatewayHttpsPort,
                credentials);
    }

    /** These options with workload certificates of lifetime {@code ttl} (renewed at half of it). */
    public FleetOptions withWorkloadCertificateTtl(Duration ttl) {
        return new FleetOptions(bindHost, gatewayPort, resolver, ca.withWorkloadTtl(ttl), operatorToken,
                gatewayHttpsPort, credentials);
    }

    /** These options with the mesh's operator token (null switches the operator header off). */
    public FleetOptions withOperatorToken(@Nullable String token) {
        return new FleetOptions(bindHost, gatewayPort, resolver, ca, token, gatewayHttpsPort, credentials);
    }

    /** These options with the gateway's HTTPS port (0 = any free port). */
    public FleetOptions withGatewayHttpsPort(int port) {
        return new FleetOptions(bindHost, gatewayPort, resolver, ca, operatorToken, port, credentials);
    }

    /** These options with {@code dir} ({@code <data>/credentials}) holding the credentials of Gateway servers. */
    public FleetOptions withCredentialsDirectory(Path dir) {
        return new FleetOptions(bindHost, gatewayPort, resolver, ca, operatorToken, gatewayHttpsPort,
                requireNonNull(dir, "dir"));
    }

    @Override
    public String toString() {
        return "FleetOptions[bindHost=" + bindHost + ", gatewayPort=" + gatewayPort + ", resolver=" + resolver
                + ", ca=" + ca + ", operatorToken=" + (operatorToken == null ? "none" : "(set)") + ", gatewayHttpsPort="
                + gatewayHttpsPort + ", credentials=" + credentials + "]";
    }
}
