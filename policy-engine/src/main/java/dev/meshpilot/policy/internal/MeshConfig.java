package dev.meshpilot.policy.internal;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.Finding;
import dev.meshpilot.policy.route.PathNormalization;
import dev.meshpilot.policy.security.ExtensionProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The parts of Istio's mesh config the engine uses, from the {@code mesh} key of ConfigMap {@code istio-system/istio}:
 * the {@code extensionProviders} (envoyExtAuthzHttp / envoyExtAuthzGrpc), {@code outboundTrafficPolicy.mode} (the
 * mesh default that Sidecars without a mode inherit; ALLOW_ANY when not set) and
 * {@code pathNormalization.normalization} (DEFAULT = BASE when not set). A provider Istio cannot use
 * (bad name, duplicate, missing or unknown service, bad port) is kept in {@code invalid} with the reason: CUSTOM
 * policies naming it deny the requests their rules match, as Istio does.
 */
public record MeshConfig(Map<String, ExtensionProvider> providers, Map<String, String> invalid,
        @Nullable String outboundTrafficPolicy, PathNormalization pathNormalization) {
    public static final MeshConfig EMPTY = new MeshConfig(Map.of(), Map.of(), null, PathNormalization.BASE);
    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public MeshConfig {
        requireNonNull(pathNormalization, "pathNormalization");
        providers = Map.copyOf(providers);
        invalid = Map.copyOf(invalid);
    }

    static MeshConfig of(List<Resource> resources, Set<String> registryHosts, Findings findings) {
        for (Resource r : resources) {
            if (r.kind().equals("ConfigMap") && r.name().equals("istio") && r.namespace().equals(LegacyConverter.ROOT_NAMESPACE)) {
                return parse(r, registryHosts, findings);
            }
        }
        return EMPTY;
    }

    private static MeshConfig parse(Resource r, Set<String> registryHosts, Findings findings) {
        Node meshNode = Nodes.get(Nodes.get(r.node(), "data"), "mesh");
        String text = Nodes.text(meshNode);
        if (text == null) {
            return EMPTY;
        }
        Node mesh;
        try {
            mesh = new Compose(LoadSettings.builder().build()).composeString(text).orElse(null);
        } catch (YamlEngineException e) {
            findings.error("MP0101", r, Nodes.line(meshNode), "data.mesh", "data.mesh is not valid YAML: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return EMPTY;
        }
        Findings inner = new Findings();
        Fields f = new Fields(new Resource(r.file(), r.line(), r.apiVersion(), r.kind(), r.namespace(), r.name(),
                mesh instanceof MappingNode m ? m : new MappingNode(org.snakeyaml.engine.v2.nodes.Tag.MAP, List.of(), null)),
                inner);
        Map<String, ExtensionProvider> providers = new LinkedHashMap<>();
        Map<String, String> invalid = new LinkedHashMap<>();
        List<Node> items = mesh == null ? List.of() : f.list(mesh, "extensionProviders", "extensionProviders", false);
        for (int i = 0; i < items.size(); i++) {
            provider(f, items.get(i), "extensionProviders[" + i + "]", registryHosts, providers, invalid);
        }
        MappingNode otp = mesh == null ? null : f.map(mesh, "outboundTrafficPolicy", "outboundTrafficPolicy", false);
        String mode = otp == null ? null : f.str(otp, "mode", "outboundTrafficPolicy.mode", false);
        if (mode != null && !mode.equals("ALLOW_ANY") && !mode.equals("REGISTRY_ONLY")) {
            f.error("MP0103", Nodes.get(otp, "mode"), "outboundTrafficPolicy.mode", "mode: " + mode
                    + " (expected: ALLOW_ANY or REGISTRY_ONLY)");
            mode = null;
        }
        PathNormalization normalization = pathNormalization(f, mesh);
        // Lines inside the embedded text are relative to it: shift them to the file (a block scalar starts below its key).
        int offset = Nodes.line(meshNode) - (isBlock(meshNode) ? 0 : 1);
        for (Finding x : inner.list()) {
            findings.add(x.code(), x.severity(), x.file(), x.line() + offset, x.resource(), "data.mesh." + x.field(),
                    x.message());
        }
        return new MeshConfig(providers, invalid, mode, normalization);
    }

    private static PathNormalization pathNormalization(Fields f, @Nullable Node mesh) {
        MappingNode node = mesh == null ? null : f.map(mesh, "pathNormalization", "pathNormalization", false);
        String value = node == null ? null : f.str(node, "normalization", "pathNormalization.normalization", false);
        if (value == null) {
            return PathNormalization.BASE;
        }
        PathNormalization known = PathNormalization.fromMeshConfig(value);
        if (known == null) {
            f.error("MP0103", Nodes.get(node, "normalization"), "pathNormalization.normalization", "normalization: "
                    + value + " (expected: DEFAULT, NONE, BASE, MERGE_SLASHES or DECODE_AND_MERGE_SLASHES)");
            return PathNormalization.BASE;
        }
        return known;
    }

    private static boolean isBlock(Node n) {
        return n instanceof org.snakeyaml.engine.v2.nodes.ScalarNode s
                && (s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED);
    }

    private static void provider(Fields f, Node item, String p, Set<String> hosts, Map<String, ExtensionProvider> out,
            Map<String, String> invalid) {
        String name = f.str(item, "name", p + ".name", true);
        if (name == null) {
            return;
        }
        MappingNode http = f.map(item, "envoyExtAuthzHttp", p + ".envoyExtAuthzHttp", false);
        MappingNode grpc = f.map(item, "envoyExtAuthzGrpc", p + ".envoyExtAuthzGrpc", false);
        if (http == null && grpc == null) {
            return;
        }
        MappingNode c = http != null ? http : grpc;
        String cp = p + (http != null ? ".envoyExtAuthzHttp" : ".envoyExtAuthzGrpc");
        List<String> errors = new ArrayList<>();
        if (out.containsKey(name) || invalid.containsKey(name)) {
            errors.add("extension provider name must be unique, found duplicate: " + name);
        }
        if (!PROVIDER_NAME.matcher(name).matches()) {
            errors.add("name " + name + " (expected: lower case letters, digits and '-', at most 63)");
        }
        String service = f.str(c, "service", cp + ".service", true);
        Integer port = f.integer(c, "port", cp + ".port", true);
        if (port != null && (port < 1 || port > 65535)) {
            errors.add("port: " + port + " (expected: 1..65535)");
        }
        String host = service == null ? null : service.contains("/") ? service.substring(service.indexOf('/') + 1) : service;
        if (host != null && !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            errors.add("service " + service + " is not a Service (FQDN such as ext-authz.foo.svc.cluster.local) or "
                    + "ServiceEntry host of the configuration");
        }
        Duration timeout = f.duration(c, "timeout", cp + ".timeout");
        Integer status = statusOnError(f, c, cp);
        if (service == null || port == null) {
            errors.add("service and port are required");
        }
        if (!errors.isEmpty()) {
            String reason = String.join("; ", errors);
            invalid.putIfAbsent(name, reason);
            out.remove(name);
            f.warn("MP0305", item, p, "extension provider " + name + " cannot be used: " + reason
                    + "; CUSTOM policies naming it deny the requests their rules match");
            return;
        }
        out.put(name, new ExtensionProvider(name, http != null ? ExtensionProvider.Kind.HTTP : ExtensionProvider.Kind.GRPC,
                service, port, timeout, http == null ? null : f.str(c, "pathPrefix", cp + ".pathPrefix", false),
                Boolean.TRUE.equals(f.bool(c, "failOpen", cp + ".failOpen")), status == null ? 403 : status,
                lower(f.strings(c, "includeRequestHeadersInCheck", cp + ".includeRequestHeadersInCheck")),
                lower(f.strings(c, "headersToUpstreamOnAllow", cp + ".headersToUpstreamOnAllow")),
                lower(f.strings(c, "headersToDownstreamOnDeny", cp + ".headersToDownstreamOnDeny"))));
    }

    private static @Nullable Integer statusOnError(Fields f, MappingNode c, String cp) {
        String s = f.str(c, "statusOnError", cp + ".statusOnError", false);
        Integer status = s == null ? null : Fields.parseInt(s);
        if (s != null && (status == null || status < 100 || status > 599)) {
            f.error("MP0103", Nodes.get(c, "statusOnError"), cp + ".statusOnError", "statusOnError: " + s
                    + " (expected: an HTTP status such as 403)");
            return null;
        }
        return status;
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }
}
