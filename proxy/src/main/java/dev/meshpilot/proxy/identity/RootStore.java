package dev.meshpilot.proxy.identity;

import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the mesh's self-signed root is kept, as PEM: a directory outside the mesh repository
 * ({@link DirectoryRootStore}), or a Kubernetes Secret in cluster mode (the console's {@code istio-ca-secret}). The CA
 * creates the root on first start ({@link #createIfAbsent}) and replaces it at a root rotation ({@link #replace}),
 * keeping the previous root until it retires ({@link #saveRotation}).
 */
public interface RootStore {

    /** Where the root lives, for logs: {@code /home/me/.meshpilot/ca}, {@code Secret istio-system/istio-ca-secret}. */
    String location();

    /** How errors name the stored certificate, e.g. {@code root-cert.pem}. */
    String certificateName();

    /** How errors name the stored private key, e.g. {@code root-key.pem}. */
    String keyName();

    /** The stored root, or empty before the first start. */
    Optional<RootPem> load() throws IOException;

    /**
     * Stores {@code root} unless a root is stored already, and returns the stored one: {@code root}, or the root a
     * concurrent writer stored first (the caller then uses that one).
     */
    RootPem createIfAbsent(RootPem root) throws IOException;

    /** Replaces the stored root (a root rotation). */
    void replace(RootPem root) throws IOException;

    /** The root rotation {@link #saveRotation} kept, if any (it may be over already: the caller checks). */
    Optional<RotationPem> loadRotation() throws IOException;

    /** Keeps the rotation in progress beside the root, or with {@code null} forgets it (finished early). */
    void saveRotation(@Nullable RotationPem rotation) throws IOException;

    /**
     * The password encrypting the key at rest, {@code null} to keep it unencrypted (a store that protects it
     * otherwise). By default the settings' password ({@value CaSettings#KEY_PASSWORD_ENV}).
     *
     * @param creating whether the root is being created (a store may then generate its password)
     */
    default char @Nullable [] keyPassword(CaSettings settings, boolean creating) throws IOException {
        String password = settings.keyPassword();
        return password == null ? null : password.toCharArray();
    }
}
