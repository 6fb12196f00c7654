package dev.meshpilot.console.ca;

import dev.meshpilot.proxy.identity.CaCerts;
import dev.meshpilot.proxy.identity.CaSettings;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A user's own CA as Istio's four plug-in files, for the console's tests: a root that signs workloads itself (the
 * proxy's tests cover real intermediates), its key encrypted with {@link #PASSWORD}.
 */
final class UsersCa {

    static final String PASSWORD = "users-own-ca-password";
    static final CaSettings SETTINGS = CaSettings.defaults().withKeyPassword(PASSWORD);

    private UsersCa() {}

    /** Creates a root in {@code work} and returns the four files' contents by name. */
    static Map<String, String> create(Path work) throws IOException {
        WorkloadCertificateAuthority.openOrCreate(work, SETTINGS);
        String root = Files.readString(work.resolve("root-cert.pem"));
        return Map.of(CaCerts.CA_CERT, root, CaCerts.CA_KEY, Files.readString(work.resolve("root-key.pem")),
                CaCerts.ROOT_CERT, root, CaCerts.CERT_CHAIN, root);
    }

    /** {@code files} written into {@code dir}. */
    static Path write(Path dir, Map<String, String> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        return dir;
    }
}
