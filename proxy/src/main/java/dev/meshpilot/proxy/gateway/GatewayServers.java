package dev.meshpilot.proxy.gateway;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.internal.CompiledSnapshot;
import dev.meshpilot.policy.internal.Net.GatewayDef;
import dev.meshpilot.policy.route.ProxyRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The servers of the Gateways that select a gateway proxy, with their {@code tls} blocks. The policy-engine has
 * validated the Gateways and keeps port, protocol and hosts; the TLS settings are read here from the same parsed
 * documents (the engine's public snapshot does not carry them yet).
 */
public final class GatewayServers {

    private GatewayServers() {}

    /** Every server of every Gateway whose selector selects {@code proxy}, in file order. */
    public static List<GatewayServer> of(MeshSnapshot snapshot, ProxyRef proxy) {
        requireNonNull(snapshot, "snapshot");
        requireNonNull(proxy, "proxy");
        if (!(snapshot instanceof CompiledSnapshot compiled)) {
            return List.of();
        }
        List<GatewayServer> out = new ArrayList<>();
        for (GatewayDef gateway : compiled.model().gateways()) {
            if (selects(gateway.selector(), proxy.labels())) {
                read(gateway, out);
            }
        }
        return List.copyOf(out);
    }

    private static void read(GatewayDef gateway, List<GatewayServer> out) {
        Node spec = get(gateway.src().node(), "spec");
        Node servers = get(spec, "servers");
        if (!(servers instanceof SequenceNode list)) {
            return;
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            Node server = list.getValue().get(i);
            Node port = get(server, "port");
            Integer number = integer(text(get(port, "number")));
            if (number == null) {
                continue;
            }
            String protocol = text(get(port, "protocol"));
            out.add(new GatewayServer(gateway.src().key(), gateway.src().namespace(), i, number,
                    protocol == null ? "HTTP" : protocol.toUpperCase(Locale.ROOT), strings(get(server, "hosts")),
                    tls(get(server, "tls"))));
        }
    }

    private static @Nullable ServerTls tls(@Nullable Node tls) {
        if (!(tls instanceof MappingNode)) {
            return null;
        }
        String mode = text(get(tls, "mode"));
        return new ServerTls(mode == null ? ServerTls.SIMPLE : mode.toUpperCase(Locale.ROOT),
                "true".equalsIgnoreCase(text(get(tls, "httpsRedirect"))), text(get(tls, "serverCertificate")),
                text(get(tls, "privateKey")), text(get(tls, "caCertificates")), text(get(tls, "credentialName")));
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static @Nullable Node get(@Nullable Node node, String key) {
        if (!(node instanceof MappingNode map)) {
            return null;
        }
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private static @Nullable String text(@Nullable Node node) {
        return node instanceof ScalarNode scalar && !scalar.getValue().isBlank() ? scalar.getValue().trim() : null;
    }

    private static List<String> strings(@Nullable Node node) {
        if (!(node instanceof SequenceNode list)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node item : list.getValue()) {
            String value = text(item);
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    private static @Nullable Integer integer(@Nullable String value) {
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
