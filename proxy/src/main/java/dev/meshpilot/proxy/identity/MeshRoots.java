package dev.meshpilot.proxy.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates, loads and replaces the self-signed mesh root of a {@link RootStore}. */
final class MeshRoots {

    private static final Logger log = LoggerFactory.getLogger(MeshRoots.class);

    record Root(X509Certificate certificate, PrivateKey key) {}

    private MeshRoots() {}

    /** The stored root, or a new one stored on first start (the one a concurrent creator stored wins). */
    static Root openOrCreate(RootStore store, CaSettings settings) {
        try {
            Optional<RootPem> stored = store.load();
            if (stored.isPresent()) {
                Root root = decode(store, stored.get(), store.keyPassword(settings, false));
                log.info("Loaded mesh root CA {} from {}", describe(root.certificate()), store.location());
                return root;
            }
            char[] password = store.keyPassword(settings, true);
            Root created = generate(settings, "CN=meshpilot mesh root");
            RootPem pem = encode(created, password);
            RootPem winner = store.createIfAbsent(pem);
            if (!winner.equals(pem)) {
                Root root = decode(store, winner, password);
                log.info("Loaded mesh root CA {} from {} (created concurrently)", describe(root.certificate()),
                        store.location());
                return root;
            }
            log.info("Created mesh root CA {} in {}, key {}", describe(created.certificate()), store.location(),
                    password == null ? "unencrypted (protected by the store)" : "encrypted");
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("mesh CA in " + store.location() + ": " + e.getMessage(), e);
        }
    }

    /** A new root (its name tells when it was made) that replaces the stored one. */
    static Root replace(RootStore store, CaSettings settings) {
        try {
            char[] password = store.keyPassword(settings, false);
            Root next = generate(settings, "CN=meshpilot mesh root " + settings.clock().instant()
                    .truncatedTo(ChronoUnit.MILLIS));
            store.replace(encode(next, password));
            log.info("Stored the new mesh root CA {} in {}", describe(next.certificate()), store.location());
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException("mesh CA in " + store.location() + ": " + e.getMessage(), e);
        }
    }

    /** The rotation the store kept, when its previous root has not retired yet (a stale one is forgotten). */
    static Optional<RootRotation> restoreRotation(RootStore store, X509Certificate root, Instant now) {
        try {
            Optional<RotationPem> kept = store.loadRotation();
            if (kept.isEmpty()) {
                return Optional.empty();
            }
            RotationPem pem = kept.get();
            if (!now.isBefore(pem.previousRootRetiresAt())) {
                store.saveRotation(null);
                return Optional.empty();
            }
            X509Certificate previous = Pem.readCertificates("previous root", pem.previousRootPem()).get(0);
            RootRotation rotation = new RootRotation(previous, root, pem.startedAt(), pem.previousRootRetiresAt());
            log.info("Resumed the root rotation kept in {}: {}", store.location(), rotation);
            return Optional.of(rotation);
        } catch (IOException e) {
            throw new UncheckedIOException("mesh CA in " + store.location() + ": " + e.getMessage(), e);
        }
    }

    /** Keeps {@code rotation} in the store, or forgets the kept one ({@code null}). */
    static void keepRotation(RootStore store, @Nullable RootRotation rotation) {
        try {
            store.saveRotation(rotation == null ? null : new RotationPem(
                    Pem.certificates(List.of(rotation.previousRoot())), rotation.startedAt(),
                    rotation.previousRootRetiresAt()));
        } catch (IOException e) {
            throw new UncheckedIOException("mesh CA in " + store.location() + ": " + e.getMessage(), e);
        }
    }

    static String describe(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + " (serial "
                + certificate.getSerialNumber().toString(16) + ")";
    }

    /** EC P-256, self-signed, CA:true, pathLen 1, 10 years from a minute ago. */
    private static Root generate(CaSettings settings, String commonName) {
        KeyPair keys = X509Builders.newEcKeyPair();
        Instant notBefore = settings.clock().instant().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        X509Certificate certificate = X509Builders.selfSignedCa(keys,
                commonName + ", OU=" + settings.trustDomain() + ", O=meshpilot", notBefore,
                notBefore.plus(3650, ChronoUnit.DAYS), 1);
        return new Root(certificate, keys.getPrivate());
    }

    private static RootPem encode(Root root, char @Nullable [] password) {
        String key = password == null ? Pem.privateKey(root.key()) : Pem.encryptedPrivateKey(root.key(), password);
        return new RootPem(Pem.certificates(List.of(root.certificate())), key);
    }

    private static Root decode(RootStore store, RootPem pem, char @Nullable [] password) throws IOException {
        X509Certificate certificate = Pem.readCertificates(store.certificateName(), pem.certificatePem()).get(0);
        PrivateKey key = Pem.readPrivateKey(store.keyName(), pem.keyPem(), password);
        if (!X509Builders.matches(certificate, key)) {
            throw new IOException(store.keyName() + " is not the key of " + store.certificateName());
        }
        return new Root(certificate, key);
    }
}
