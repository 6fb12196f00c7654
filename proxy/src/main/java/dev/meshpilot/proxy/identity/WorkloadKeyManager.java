package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * Serves the latest workload certificate. The alias names the certificate's serial, so a handshake that chose an
 * alias just before a rotation still gets the matching chain and key (the previous certificate is kept).
 */
final class WorkloadKeyManager extends X509ExtendedKeyManager {

    private record Entry(String alias, WorkloadCertificate certificate) {}

    private volatile Entry current;
    private volatile @Nullable Entry previous;

    WorkloadKeyManager(WorkloadCertificate initial) {
        this.current = entry(initial);
    }

    /** Makes {@code next} the certificate of new handshakes; the one it replaces stays resolvable by alias. */
    synchronized void update(WorkloadCertificate next) {
        requireNonNull(next, "next");
        previous = current;
        current = entry(next);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal @Nullable [] issuers) {
        return matches(keyType) ? new String[] {current.alias()} : new String[0];
    }

    @Override
    public @Nullable String chooseClientAlias(String[] keyTypes, Principal @Nullable [] issuers,
            @Nullable Socket socket) {
        return Arrays.stream(keyTypes).anyMatch(this::matches) ? current.alias() : null;
    }

    @Override
    public @Nullable String chooseEngineClientAlias(String[] keyTypes, Principal @Nullable [] issuers,
            @Nullable SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal @Nullable [] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers,
            @Nullable Socket socket) {
        return matches(keyType) ? current.alias() : null;
    }

    @Override
    public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers,
            @Nullable SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
        Entry entry = find(alias);
        return entry == null ? null : entry.certificate().chain().toArray(new X509Certificate[0]);
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String alias) {
        Entry entry = find(alias);
        return entry == null ? null : entry.certificate().privateKey();
    }

    private @Nullable Entry find(@Nullable String alias) {
        Entry now = current;
        if (now.alias().equals(alias)) {
            return now;
        }
        Entry before = previous;
        return before != null && before.alias().equals(alias) ? before : null;
    }

    private boolean matches(@Nullable String keyType) {
        return keyType != null && keyType.startsWith(current.certificate().privateKey().getAlgorithm());
    }

    private static Entry entry(WorkloadCertificate certificate) {
        return new Entry(WorkloadCertificate.ALIAS + "-" + certificate.serialNumber().toString(16), certificate);
    }
}
