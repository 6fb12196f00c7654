package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.ServerDef;
import dev.meshpilot.policy.route.GatewayServer;
import dev.meshpilot.policy.route.ServerTls;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * One entry of a Gateway's {@code spec.servers}: port, hosts and the {@code tls} block, checked as Istio's validation
 * does (an unknown mode or protocol version is {@code MP0103}; SIMPLE and MUTUAL without credentials, ISTIO_MUTUAL
 * with its own files are rejected).
 */
final class GatewayServerParser {
    private GatewayServerParser() {}

    /** Both views of one server; null when its port number is missing or not a number (already reported). */
    record Parsed(ServerDef def, GatewayServer server) {}

    static @Nullable Parsed parse(Fields f, Node item, int index) {
        String path = "spec.servers[" + index + "]";
        MappingNode port = f.map(item, "port", path + ".port", true);
        Integer number = port == null ? null : f.integer(port, "number", path + ".port.number", true);
        String name = port == null ? null : f.str(port, "name", path + ".port.name", false);
        String protocol = port == null ? null : f.str(port, "protocol", path + ".port.protocol", false);
        List<String> hosts = f.strings(item, "hosts", path + ".hosts");
        if (hosts.isEmpty()) {
            f.error("MP0102", item, path + ".hosts", "required field is missing: a server needs hosts");
        }
        ServerTls tls = tls(f, item, path + ".tls");
        if (number == null) {
            return null;
        }
        String upper = protocol == null ? "HTTP" : protocol.trim().toUpperCase(Locale.ROOT);
        List<String> lower = hosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        Resource r = f.resource();
        return new Parsed(new ServerDef(number, upper, lower, Nodes.line(item)), new GatewayServer(r.key(), index,
                number, blankToNull(name), upper, lower, tls, r.file(), Nodes.line(item)));
    }

    private static @Nullable ServerTls tls(Fields f, Node server, String path) {
        MappingNode tls = f.map(server, "tls", path, false);
        if (tls == null) {
            return null;
        }
        ServerTls.Mode mode = constant(f, tls, "mode", path, ServerTls.Mode.class);
        Boolean redirect = f.bool(tls, "httpsRedirect", path + ".httpsRedirect");
        String certificate = blankToNull(f.str(tls, "serverCertificate", path + ".serverCertificate", false));
        String key = blankToNull(f.str(tls, "privateKey", path + ".privateKey", false));
        String ca = blankToNull(f.str(tls, "caCertificates", path + ".caCertificates", false));
        String credential = blankToNull(f.str(tls, "credentialName", path + ".credentialName", false));
        ServerTls.ProtocolVersion min = constant(f, tls, "minProtocolVersion", path, ServerTls.ProtocolVersion.class);
        ServerTls.ProtocolVersion max = constant(f, tls, "maxProtocolVersion", path, ServerTls.ProtocolVersion.class);
        if (min != null && max != null && min != ServerTls.ProtocolVersion.TLS_AUTO
                && max != ServerTls.ProtocolVersion.TLS_AUTO && min.compareTo(max) > 0) {
            f.error("MP0103", Nodes.get(tls, "minProtocolVersion"), path + ".minProtocolVersion",
                    "minProtocolVersion: " + min + " (expected: <= maxProtocolVersion " + max + ")");
        }
        ServerTls result = new ServerTls(mode, Boolean.TRUE.equals(redirect), certificate, key, ca, credential,
                f.strings(tls, "subjectAltNames", path + ".subjectAltNames"), min, max,
                f.strings(tls, "cipherSuites", path + ".cipherSuites"));
        checkCredentials(f, tls, path, result);
        return result;
    }

    private static void checkCredentials(Fields f, MappingNode node, String path, ServerTls tls) {
        ServerTls.Mode mode = tls.mode();
        if (mode == ServerTls.Mode.ISTIO_MUTUAL) {
            for (String field : List.of("serverCertificate", "privateKey", "caCertificates", "credentialName")) {
                if (Nodes.text(Nodes.get(node, field)) != null) {
                    f.error("MP0103", Nodes.get(node, field), path + "." + field, field
                            + ": set (expected: none with mode ISTIO_MUTUAL, which uses the mesh's workload certificates)");
                }
            }
            return;
        }
        boolean terminates = mode == ServerTls.Mode.SIMPLE || mode == ServerTls.Mode.MUTUAL
                || mode == ServerTls.Mode.OPTIONAL_MUTUAL;
        if (!terminates || tls.credentialName() != null) {
            return;
        }
        require(f, node, path, "serverCertificate", tls.serverCertificate(), mode);
        require(f, node, path, "privateKey", tls.privateKey(), mode);
        if (mode != ServerTls.Mode.SIMPLE) {
            require(f, node, path, "caCertificates", tls.caCertificates(), mode);
        }
    }

    private static void require(Fields f, MappingNode node, String path, String field, @Nullable String value,
            ServerTls.Mode mode) {
        if (value == null) {
            f.error("MP0102", node, path + "." + field, "required field is missing: mode " + mode
                    + " needs " + field + " (a file path) or credentialName");
        }
    }

    private static <E extends Enum<E>> @Nullable E constant(Fields f, MappingNode node, String key, String path,
            Class<E> type) {
        String value = f.str(node, key, path + "." + key, false);
        if (value == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value)) {
                return e;
            }
        }
        f.error("MP0103", Nodes.get(node, key), path + "." + key, key + ": " + value + " (expected: one of "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
        return null;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
