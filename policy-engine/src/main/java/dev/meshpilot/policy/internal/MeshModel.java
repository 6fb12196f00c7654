package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Net.DestinationRuleDef;
import dev.meshpilot.policy.internal.Net.GatewayDef;
import dev.meshpilot.policy.internal.Net.ServiceEntryDef;
import dev.meshpilot.policy.internal.Net.VirtualServiceDef;
import dev.meshpilot.policy.workload.ServiceSpec;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every resource of one configuration, parsed into the typed model (in file order). Resources of the
 * security and legacy kinds are kept as parsed resources for their own compilers.
 */
public record MeshModel(List<Resource> resources, Map<String, Map<String, String>> namespaces,
        List<WorkloadSpec> workloads, List<ServiceSpec> services, List<GatewayDef> gateways,
        List<VirtualServiceDef> virtualServices, List<DestinationRuleDef> destinationRules,
        List<ServiceEntryDef> serviceEntries, List<Sec.AuthorizationPolicyDef> authorizationPolicies,
        List<Sec.PeerAuthenticationDef> peerAuthentications, List<Sec.RequestAuthenticationDef> requestAuthentications,
        List<LegacyConverter.Converted> converted, LegacyAuthn legacyAuthn, MeshConfig meshConfig,
        Map<Resource, Resource> legacyOrigins) {

    public static MeshModel build(List<Resource> resources, Findings findings) {
        Map<String, Map<String, String>> namespaces = new LinkedHashMap<>();
        for (Resource r : resources) {
            if (r.kind().equals("Namespace")) {
                namespaces.put(r.name(), KubeParsers.namespaceLabels(new Fields(r, findings)));
            }
        }
        List<WorkloadSpec> workloads = new ArrayList<>();
        List<ServiceSpec> services = new ArrayList<>();
        List<GatewayDef> gateways = new ArrayList<>();
        List<VirtualServiceDef> vss = new ArrayList<>();
        List<DestinationRuleDef> drs = new ArrayList<>();
        List<ServiceEntryDef> ses = new ArrayList<>();
        List<Sec.AuthorizationPolicyDef> aps = new ArrayList<>();
        List<Sec.PeerAuthenticationDef> pas = new ArrayList<>();
        List<Sec.RequestAuthenticationDef> ras = new ArrayList<>();
        for (Resource r : resources) {
            Fields f = new Fields(r, findings);
            switch (r.kind()) {
                case "Deployment" -> add(workloads, KubeParsers.deployment(f, namespaces.getOrDefault(r.namespace(), Map.of())));
                case "Service" -> add(services, KubeParsers.service(f));
                case "Gateway" -> add(gateways, NetworkParsers.gateway(f));
                case "VirtualService" -> add(vss, VirtualServiceParser.parse(f));
                case "DestinationRule" -> add(drs, NetworkParsers.destinationRule(f));
                case "ServiceEntry" -> add(ses, NetworkParsers.serviceEntry(f));
                default -> security(r, f, aps, pas, ras);
            }
        }
        LegacyAuthn legacyAuthn = LegacyAuthn.of(resources, services, findings);
        List<LegacyConverter.Converted> converted = LegacyConverter.convert(resources, services, legacyAuthn, findings);
        Map<Resource, Resource> legacyOrigins = new HashMap<>();
        for (LegacyConverter.Converted c : converted) {
            Resource r = Documents.resource(c);
            legacyOrigins.put(r, c.origin());
            security(r, new Fields(r, findings), aps, pas, ras);
        }
        java.util.Set<String> registry = new java.util.HashSet<>();
        services.forEach(s -> registry.add(s.fqdn()));
        ses.forEach(se -> registry.addAll(se.hosts()));
        MeshConfig meshConfig = MeshConfig.of(resources, registry, findings);
        Map<String, Map<String, String>> allNamespaces = new HashMap<>(namespaces);
        resources.forEach(r -> allNamespaces.putIfAbsent(r.namespace(), Map.of()));
        allNamespaces.remove("");
        return new MeshModel(List.copyOf(resources), Map.copyOf(allNamespaces), List.copyOf(workloads),
                List.copyOf(services), List.copyOf(gateways), List.copyOf(vss), List.copyOf(drs), List.copyOf(ses),
                List.copyOf(aps), List.copyOf(pas), List.copyOf(ras), List.copyOf(converted), legacyAuthn,
                meshConfig, Map.copyOf(legacyOrigins));
    }

    /**
     * Whether a security resource takes part in the decisions for a workload: always, except a resource converted from
     * a legacy authentication Policy, which applies only where that Policy was the workload's most specific one.
     */
    public boolean governs(Resource security, String namespace, Map<String, String> labels) {
        Resource origin = legacyOrigins.get(security);
        if (origin == null || !origin.group().equals("authentication.istio.io")) {
            return true;
        }
        return legacyAuthn.applying(namespace, labels).map(p -> p.src() == origin).orElse(false);
    }

    private static void security(Resource r, Fields f, List<Sec.AuthorizationPolicyDef> aps,
            List<Sec.PeerAuthenticationDef> pas, List<Sec.RequestAuthenticationDef> ras) {
        if (!r.group().equals("security.istio.io")) {
            return;
        }
        switch (r.kind()) {
            case "AuthorizationPolicy" -> add(aps, SecurityParsers.authorizationPolicy(f));
            case "PeerAuthentication" -> add(pas, SecurityParsers.peerAuthentication(f));
            case "RequestAuthentication" -> add(ras, SecurityParsers.requestAuthentication(f));
            default -> { }
        }
    }

    private static <T> void add(List<T> list, T value) {
        if (value != null) {
            list.add(value);
        }
    }
}
