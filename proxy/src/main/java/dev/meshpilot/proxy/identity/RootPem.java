package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

/**
 * The mesh root as a {@link RootStore} keeps it: the self-signed certificate and its private key, both PEM. The key is
 * an {@code ENCRYPTED PRIVATE KEY} when the store has a key-encryption password, else a {@code PRIVATE KEY}.
 * {@link #toString()} never shows the key.
 */
public record RootPem(String certificatePem, String keyPem) {

    public RootPem {
        requireNonNull(certificatePem, "certificatePem");
        requireNonNull(keyPem, "keyPem");
    }

    /** Whether the key is encrypted at rest. */
    public boolean keyEncrypted() {
        return keyPem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    }

    @Override
    public String toString() {
        return "RootPem[certificate " + certificatePem.length() + " chars, key "
                + (keyEncrypted() ? "encrypted" : "unencrypted") + "]";
    }
}
