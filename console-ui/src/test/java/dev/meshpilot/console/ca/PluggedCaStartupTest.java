package dev.meshpilot.console.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.meshpilot.console.Meshpilot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshpilot up --ca-certs DIR} refuses to start when the plugged-in CA fails its checks. */
class PluggedCaStartupTest {

    @TempDir
    Path tmp;

    @Test
    void upRefusesToStartNamingTheCaFileAtFault() throws Exception {
        Path cacerts = UsersCa.write(tmp.resolve("cacerts"), UsersCa.create(tmp.resolve("users-ca")));

        // ca-key.pem is encrypted; this process has no MESHPILOT_CA_KEY_PASSWORD (or another one)
        Throwable failure = catchThrowable(() -> Meshpilot.up("--port", "0", "--gateway-port", "0",
                "--gateway-https-port", "0", "--data", tmp.resolve("data").toString(), "--ca-certs", cacerts.toString())
                .close());

        assertThat(meshCaException(failure)).hasMessageStartingWith(cacerts + ": ca-key.pem: ");
    }

    private static MeshCaException meshCaException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MeshCaException found) {
                return found;
            }
        }
        throw new AssertionError("no MeshCaException in the causes of " + failure, failure);
    }
}
