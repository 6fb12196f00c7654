package dev.meshpilot.console.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code meshpilot.*} properties, bound once at the edge.
 *
 * @param gatewayPort   port of the ingress gateway, 0 for any free port ({@code --gateway-port})
 * @param gatewayHttpsPort the ingress gateway's HTTPS port, where the Gateway servers of port 443 are served, 0 for
 *                      any free port ({@code --gateway-https-port})
 * @param data          the data directory: {@code mesh.git} and the console's users file ({@code --data})
 * @param adminPassword the admin password to set ({@code MESHPILOT_ADMIN_PASSWORD}); blank to keep the
 *                      stored one or generate one on first start
 * @param branch        the branch the sync loop tracks and the console commits to
 * @param resolve       hosts outside the mesh mapped to local addresses for the embedded fleet, like curl's
 *                      {@code --resolve}: {@code HOST:PORT=ADDRESS:PORT} ({@code --resolve}, repeatable)
 * @param caCerts       a plugged-in CA: a directory with Istio's {@code ca-cert.pem}, {@code ca-key.pem},
 *                      {@code root-cert.pem} and {@code cert-chain.pem} ({@code --ca-certs}); null = the mesh root
 *                      of {@code <data>/ca} (or of the cluster's Secrets in cluster mode)
 * @param kubernetes    cluster mode ({@code meshpilot.kubernetes.enabled}, {@code --kubernetes})
 */
@ConfigurationProperties("meshpilot")
public record MeshpilotProperties(
        @DefaultValue("8081") int gatewayPort,
        @DefaultValue("8443") int gatewayHttpsPort,
        Path data,
        @Nullable String adminPassword,
        @DefaultValue("main") String branch,
        @DefaultValue List<String> resolve,
        @DefaultValue Kubernetes kubernetes,
        @Nullable Path caCerts) {

    /**
     * Cluster mode.
     *
     * @param enabled when true the console also talks to a Kubernetes API server (fabric8's auto-configuration:
     *                the pod's service account in a cluster, otherwise the kubeconfig): service account tokens
     *                are accepted at the CSR endpoint (TokenReview) and commits are applied to the cluster
     * @param apply   how commits are written to the cluster ({@code meshpilot.kubernetes.apply}):
     *                {@code server-side} apply (default), or {@code create-or-replace} for API servers without it
     */
    public record Kubernetes(@DefaultValue("false") boolean enabled, @DefaultValue("server-side") ApplyMode apply) {

        public Kubernetes {
            requireNonNull(apply, "apply");
        }

        /** Cluster mode off: the embedded runtime only. */
        public static Kubernetes disabled() {
            return new Kubernetes(false, ApplyMode.SERVER_SIDE);
        }
    }

    /** How the Kubernetes sync target writes an object. */
    public enum ApplyMode { SERVER_SIDE, CREATE_OR_REPLACE }

    @ConstructorBinding
    public MeshpilotProperties {
        if (gatewayPort < 0 || gatewayPort > 65535) {
            throw new IllegalArgumentException("meshpilot.gateway-port: " + gatewayPort + " (expected: 0..65535)");
        }
        if (gatewayHttpsPort < 0 || gatewayHttpsPort > 65535) {
            throw new IllegalArgumentException("meshpilot.gateway-https-port: " + gatewayHttpsPort
                    + " (expected: 0..65535)");
        }
        data = data.toAbsolutePath().normalize();
        caCerts = caCerts == null ? null : caCerts.toAbsolutePath().normalize();
        resolve = List.copyOf(resolve);
        HostOverrides.parse(resolve, "meshpilot.resolve"); // fail at startup, naming the bad entry
        requireNonNull(kubernetes, "kubernetes");
    }

    /** Properties of the embedded mode ({@code meshpilot.kubernetes.enabled=false}). */
    public MeshpilotProperties(int gatewayPort, int gatewayHttpsPort, Path data, @Nullable String adminPassword,
            String branch, List<String> resolve) {
        this(gatewayPort, gatewayHttpsPort, data, adminPassword, branch, resolve, Kubernetes.disabled(), null);
    }

    /** Where the fleet reaches hosts outside the mesh: {@link #resolve} first, then the system's DNS. */
    public HostOverrides hostOverrides() {
        return HostOverrides.parse(resolve, "meshpilot.resolve");
    }

    public Path meshRepository() {
        return data.resolve("mesh.git");
    }

    /** The directory of the mesh root when there is no plugged-in CA (and no cluster). */
    public Path caDirectory() {
        return data.resolve("ca");
    }

    public Path usersFile() {
        return data.resolve("users.properties");
    }

    public boolean hasAdminPassword() {
        return adminPassword != null && !adminPassword.isBlank();
    }
}
