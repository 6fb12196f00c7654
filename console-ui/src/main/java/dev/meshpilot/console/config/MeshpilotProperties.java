package dev.meshpilot.console.config;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
 */
@ConfigurationProperties("meshpilot")
public record MeshpilotProperties(
        @DefaultValue("8081") int gatewayPort,
        @DefaultValue("8443") int gatewayHttpsPort,
        Path data,
        @Nullable String adminPassword,
        @DefaultValue("main") String branch,
        @DefaultValue List<String> resolve,
        @Nullable Path caCerts) {

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
