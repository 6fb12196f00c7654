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
        List<LegacyConverter.Converted> converted) {

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
        List<LegacyConverter.Converted> converted = LegacyConverter.convert(resources, services, findings);
        for (LegacyConverter.Converted c : converted) {
            Resource r = Documents.resource(c);
            security(r, new Fields(r, findings), aps, pas, ras);
        }
        Map<String, Map<String, String>> allNamespaces = new HashMap<>(namespaces);
        resources.forEach(r -> allNamespaces.putIfAbsent(r.namespace(), Map.of()));
        allNamespaces.remove("");
        return new MeshModel(List.copyOf(resources), Map.copyOf(allNamespaces), List.copyOf(workloads),
                List.copyOf(services), List.copyOf(gateways), List.copyOf(vss), List.copyOf(drs), List.copyOf(ses),
                List.copyOf(aps), List.copyOf(pas), List.copyOf(ras), List.copyOf(converted));
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
