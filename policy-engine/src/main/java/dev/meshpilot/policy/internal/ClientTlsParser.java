package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.route.ClientTls;
import dev.meshpilot.policy.route.ClientTls.Mode;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A DestinationRule's {@code tls} block (trafficPolicy, portLevelSettings, subsets), checked as Istio's validation
 * does: an unknown mode is {@code MP0103}; MUTUAL needs {@code clientCertificate} and {@code privateKey} or a
 * {@code credentialName} ({@code MP0102}); a {@code credentialName} with certificate files, and
 * {@code insecureSkipVerify} with DISABLE or ISTIO_MUTUAL, are {@code MP0103}.
 */
final class ClientTlsParser {
    private static final List<String> FILES = List.of("clientCertificate", "privateKey", "caCertificates");

    private ClientTlsParser() {}

    /** The {@code tls} block of {@code parent}; null when absent, without a mode, or with an unknown mode. */
    static @Nullable ClientTls parse(Fields f, Node parent, String path) {
        MappingNode tls = f.map(parent, "tls", path, false);
        if (tls == null) {
            return null;
        }
        String text = f.str(tls, "mode", path + ".mode", false);
        Mode mode = mode(text);
        if (text != null && mode == null) {
            f.error("MP0103", Nodes.get(tls, "mode"), path + ".mode",
                    "mode: " + text + " (expected: one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL)");
        }
        String certificate = blankToNull(f.str(tls, "clientCertificate", path + ".clientCertificate", false));
        String key = blankToNull(f.str(tls, "privateKey", path + ".privateKey", false));
        String ca = blankToNull(f.str(tls, "caCertificates", path + ".caCertificates", false));
        String credential = blankToNull(f.str(tls, "credentialName", path + ".credentialName", false));
        List<String> names = f.strings(tls, "subjectAltNames", path + ".subjectAltNames");
        String sni = blankToNull(f.str(tls, "sni", path + ".sni", false));
        boolean skip = Boolean.TRUE.equals(f.bool(tls, "insecureSkipVerify", path + ".insecureSkipVerify"));
        if (mode == null) {
            return null;
        }
        check(f, tls, path, mode, certificate, key, credential, skip);
        return new ClientTls(mode, certificate, key, ca, credential, names, sni, skip);
    }

    private static void check(Fields f, MappingNode tls, String path, Mode mode, @Nullable String certificate,
            @Nullable String key, @Nullable String credential, boolean skip) {
        if (skip && (mode == Mode.DISABLE || mode == Mode.ISTIO_MUTUAL)) {
            f.error("MP0103", Nodes.get(tls, "insecureSkipVerify"), path + ".insecureSkipVerify",
                    "insecureSkipVerify: true (expected: only with mode SIMPLE or MUTUAL, not " + mode + ")");
        }
        if (mode != Mode.SIMPLE && mode != Mode.MUTUAL) {
            return;
        }
        if (credential != null) {
            for (String field : FILES) {
                Node value = Nodes.get(tls, field);
                String given = Nodes.text(value);
                if (given != null && !given.isBlank()) {
                    f.error("MP0103", value, path + "." + field, field + ": set (expected: none with credentialName "
                            + credential + ", which holds the certificate, key and CA certificates)");
                }
            }
            return;
        }
        if (mode == Mode.MUTUAL) {
            if (certificate == null) {
                f.error("MP0102", tls, path + ".clientCertificate", "required field is missing: mode MUTUAL needs "
                        + "clientCertificate (a file path) or credentialName");
            }
            if (key == null) {
                f.error("MP0102", tls, path + ".privateKey", "required field is missing: mode MUTUAL needs "
                        + "privateKey (a file path) or credentialName");
            }
        }
    }

    private static @Nullable Mode mode(@Nullable String text) {
        if (text == null) {
            return null;
        }
        for (Mode m : Mode.values()) {
            if (m.name().equals(text)) {
                return m;
            }
        }
        return null;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
