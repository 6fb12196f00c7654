package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.ServiceEntryDef;
import dev.meshpilot.policy.route.ExternalService;
import dev.meshpilot.policy.route.ExternalService.Endpoint;
import dev.meshpilot.policy.route.ExternalService.Location;
import dev.meshpilot.policy.route.ExternalService.Port;
import dev.meshpilot.policy.route.ExternalService.Resolution;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Parses ServiceEntry with Istio's validation of ports, resolution, location, endpoints and workloadSelector. */
final class ServiceEntryParser {
    static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB", "TCP", "TLS",
            "MONGO", "MYSQL", "REDIS", "UDP");
    private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private ServiceEntryParser() {}

    static @Nullable ServiceEntryDef parse(Fields f) {
        Resource r = f.resource();
        MappingNode spec = f.map(r.node(), "spec", "spec", true);
        if (spec == null) {
            return null;
        }
        List<String> hosts = f.strings(spec, "hosts", "spec.hosts").stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (hosts.isEmpty()) {
            f.error("MP0102", spec, "spec.hosts", "required field is missing: a ServiceEntry needs hosts");
        }
        if (hosts.contains("*")) {
            f.error("MP0103", Nodes.get(spec, "hosts"), "spec.hosts", "host * is not allowed in a ServiceEntry "
                    + "(expected: a host name, or a prefix wildcard such as *.example.com)");
        }
        List<String> addresses = f.strings(spec, "addresses", "spec.addresses");
        for (String a : addresses) {
            if (!Cidr.isBlock(a)) {
                f.error("MP0103", Nodes.get(spec, "addresses"), "spec.addresses", "address: " + a
                        + " (expected: an IP address or CIDR block such as 240.0.0.1 or 10.0.0.0/16)");
            }
        }
        List<Port> ports = ports(f, spec);
        Resolution resolution = enumValue(f, spec, "resolution", Resolution.class, Resolution.NONE);
        Location location = enumValue(f, spec, "location", Location.class, Location.MESH_EXTERNAL);
        if (addresses.stream().anyMatch(a -> a.contains("/")) && resolution != Resolution.NONE
                && resolution != Resolution.STATIC) {
            f.error("MP0103", Nodes.get(spec, "addresses"), "spec.addresses", "CIDR addresses are allowed only with "
                    + "resolution NONE or STATIC (found " + resolution + ")");
        }
        List<Endpoint> endpoints = endpoints(f, spec, resolution, ports);
        MappingNode sel = f.map(spec, "workloadSelector", "spec.workloadSelector", false);
        Map<String, String> selector = sel == null ? null : f.stringMap(sel, "labels", "spec.workloadSelector.labels");
        checkResolution(f, spec, hosts, resolution, endpoints, selector);
        List<String> exportTo = ExportTo.read(f, spec);
        ExternalService details = new ExternalService(r.namespace(), r.name(), hosts, addresses, resolution, location,
                ports, endpoints, selector, exportTo);
        return new ServiceEntryDef(r, hosts, ports.stream().map(Port::number).toList(), exportTo, details);
    }

    private static List<Port> ports(Fields f, MappingNode spec) {
        List<Port> out = new ArrayList<>();
        Set<Integer> numbers = new HashSet<>();
        Set<String> names = new HashSet<>();
        List<Node> items = f.list(spec, "ports", "spec.ports", false);
        for (int i = 0; i < items.size(); i++) {
            String p = "spec.ports[" + i + "]";
            Node item = items.get(i);
            Integer number = f.integer(item, "number", p + ".number", true);
            String name = f.str(item, "name", p + ".name", false);
            String protocol = f.str(item, "protocol", p + ".protocol", false);
            Integer target = f.integer(item, "targetPort", p + ".targetPort", false);
            if (number != null && (number < 1 || number > 65535)) {
                f.error("MP0103", Nodes.get(item, "number"), p + ".number", "port: " + number + " (expected: 1..65535)");
                continue;
            }
            if (target != null && (target < 1 || target > 65535)) {
                f.error("MP0103", Nodes.get(item, "targetPort"), p + ".targetPort", "targetPort: " + target
                        + " (expected: 1..65535)");
                target = null;
            }
            String proto = protocol == null ? "AUTO" : protocol.toUpperCase(Locale.ROOT);
            if (protocol != null && !PROTOCOLS.contains(proto)) {
                f.error("MP0103", Nodes.get(item, "protocol"), p + ".protocol", "protocol: " + protocol
                        + " (expected: one of HTTP, HTTPS, HTTP2, GRPC, TCP, TLS, MONGO, MYSQL, REDIS, UDP)");
            }
            if (number != null && !numbers.add(number)) {
                f.error("MP0103", Nodes.get(item, "number"), p + ".number", "port " + number
                        + " is declared twice; a ServiceEntry port number must be unique");
                continue;
            }
            if (name == null) {
                f.error("MP0102", item, p + ".name", "required field is missing: a ServiceEntry port needs a name "
                        + "(a DNS label such as http)");
            } else if (!DNS_LABEL.matcher(name).matches()) {
                f.error("MP0103", Nodes.get(item, "name"), p + ".name", "name: " + name
                        + " (expected: a DNS label: lower case letters, digits and '-')");
            }
            String portName = name == null ? "port-" + number : name;
            if (name != null && !names.add(name)) {
                f.error("MP0103", Nodes.get(item, "name"), p + ".name", "port name \"" + name
                        + "\" is used twice; a ServiceEntry port name must be unique");
            }
            if (number != null) {
                out.add(new Port(number, portName, proto, target));
            }
        }
        return List.copyOf(out);
    }

    private static List<Endpoint> endpoints(Fields f, MappingNode spec, Resolution resolution, List<Port> ports) {
        List<Endpoint> out = new ArrayList<>();
        Set<String> portNames = new HashSet<>();
        ports.forEach(p -> portNames.add(p.name()));
        List<Node> items = f.list(spec, "endpoints", "spec.endpoints", false);
        for (int i = 0; i < items.size(); i++) {
            String p = "spec.endpoints[" + i + "]";
            Node item = items.get(i);
            String address = f.str(item, "address", p + ".address", false);
            if (address == null) {
                f.error("MP0102", item, p + ".address", "required field is missing: an endpoint needs an address");
                continue;
            }
            if (resolution == Resolution.STATIC && !Cidr.isIp(address) && !address.startsWith("unix://")) {
                f.error("MP0103", Nodes.get(item, "address"), p + ".address", "address: " + address + " (expected: an IP "
                        + "address or unix:// socket with resolution STATIC; use resolution DNS for host names)");
            }
            Map<String, Integer> endpointPorts = new LinkedHashMap<>();
            MappingNode pm = f.map(item, "ports", p + ".ports", false);
            for (NodeTuple t : pm == null ? List.<NodeTuple>of() : pm.getValue()) {
                String name = Nodes.text(t.getKeyNode());
                Integer value = Nodes.text(t.getValueNode()) == null ? null : Fields.parseInt(Nodes.text(t.getValueNode()));
                if (name == null || value == null || value < 1 || value > 65535) {
                    f.error("MP0103", t.getValueNode(), p + ".ports." + name, "port: " + Nodes.text(t.getValueNode())
                            + " (expected: 1..65535)");
                } else if (!portNames.contains(name)) {
                    f.error("MP0103", t.getKeyNode(), p + ".ports." + name, "port name \"" + name + "\" is not a port of "
                            + "this ServiceEntry (expected one of " + portNames.stream().sorted().toList() + ")");
                } else {
                    endpointPorts.put(name, value);
                }
            }
            Integer weight = f.integer(item, "weight", p + ".weight", false);
            if (weight != null && weight < 0) {
                f.error("MP0103", Nodes.get(item, "weight"), p + ".weight", "weight: " + weight + " (expected: >= 0)");
                weight = null;
            }
            out.add(new Endpoint(address, endpointPorts, f.stringMap(item, "labels", p + ".labels"),
                    weight == null ? 0 : weight, f.str(item, "network", p + ".network", false)));
        }
        return List.copyOf(out);
    }

    private static void checkResolution(Fields f, MappingNode spec, List<String> hosts, Resolution resolution,
            List<Endpoint> endpoints, @Nullable Map<String, String> selector) {
        if (selector != null && !endpoints.isEmpty()) {
            f.error("MP0103", Nodes.get(spec, "workloadSelector"), "spec.workloadSelector",
                    "workloadSelector and endpoints are both set (expected: only one of them)");
        }
        switch (resolution) {
            case NONE -> {
                if (!endpoints.isEmpty()) {
                    f.error("MP0103", Nodes.get(spec, "endpoints"), "spec.endpoints", "endpoints are set with "
                            + "resolution NONE, which never uses them (expected: resolution STATIC or DNS, or no endpoints)");
                }
            }
            case STATIC -> {
                if (endpoints.isEmpty() && selector == null) {
                    f.warn("MP0212", Nodes.get(spec, "resolution"), "spec.endpoints", "resolution STATIC without endpoints "
                            + "or workloadSelector: requests to " + hosts + " find no endpoint (503); add endpoints");
                }
            }
            case DYNAMIC_DNS -> { }
            case DNS, DNS_ROUND_ROBIN -> {
                if (endpoints.isEmpty()) {
                    hosts.stream().filter(h -> h.startsWith("*")).findFirst().ifPresent(h -> f.error("MP0103",
                            Nodes.get(spec, "hosts"), "spec.hosts", "host " + h + " is a wildcard, which resolution "
                                    + resolution + " cannot look up (expected: endpoints, or resolution NONE)"));
                }
                if (resolution == Resolution.DNS_ROUND_ROBIN && endpoints.size() > 1) {
                    f.error("MP0103", Nodes.get(spec, "endpoints"), "spec.endpoints", "resolution DNS_ROUND_ROBIN "
                            + "with " + endpoints.size() + " endpoints (expected: 0 or 1; use DNS for several)");
                }
            }
        }
    }

    private static <E extends Enum<E>> E enumValue(Fields f, MappingNode spec, String key, Class<E> type, E fallback) {
        String text = f.str(spec, key, "spec." + key, false);
        if (text == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(text)) {
                return e;
            }
        }
        List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        f.error("MP0103", Nodes.get(spec, key), "spec." + key, key + ": " + text + " (expected: one of "
                + String.join(", ", names) + ")");
        return fallback;
    }
}
