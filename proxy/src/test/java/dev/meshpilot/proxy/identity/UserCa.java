package dev.meshpilot.proxy.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** A user's own CA for tests: a root and an intermediate, written as Istio's four plug-in files. */
record UserCa(X509Certificate root, KeyPair rootKeys, X509Certificate intermediate, KeyPair intermediateKeys) {

    static UserCa create() {
        return create(Instant.now().plus(90, ChronoUnit.DAYS));
    }

    /** A root valid a year and an intermediate (pathLen 0) valid until {@code intermediateNotAfter}. */
    static UserCa create(Instant intermediateNotAfter) {
        Instant now = Instant.now();
        KeyPair rootKeys = X509Builders.newEcKeyPair();
        X509Certificate root = X509Builders.selfSignedCa(rootKeys, "CN=Example Corp Root, O=Example Corp",
                now.minus(2, ChronoUnit.DAYS), now.plus(365, ChronoUnit.DAYS), 1);
        KeyPair keys = X509Builders.newEcKeyPair();
        X509Certificate intermediate = X509Builders.signedCa(root, rootKeys.getPrivate(), keys.getPublic(),
                "CN=Meshpilot Intermediate, O=Example Corp", now.minus(1, ChronoUnit.DAYS), intermediateNotAfter, 0);
        return new UserCa(root, rootKeys, intermediate, keys);
    }

    /** Writes ca-cert.pem, ca-key.pem (unencrypted, as Istio's tools do), root-cert.pem and cert-chain.pem. */
    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(CaCerts.CA_CERT), Pem.certificates(List.of(intermediate)));
        Files.writeString(dir.resolve(CaCerts.CA_KEY), Pem.privateKey(intermediateKeys.getPrivate()));
        Files.writeString(dir.resolve(CaCerts.ROOT_CERT), Pem.certificates(List.of(root)));
        Files.writeString(dir.resolve(CaCerts.CERT_CHAIN), Pem.certificates(List.of(intermediate, root)));
        return dir;
    }
}
