package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.workload.EnvVar;
import dev.meshpilot.policy.workload.ServiceSpec;
import dev.meshpilot.policy.workload.ServiceSpec.ServicePort;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Parsers for the Kubernetes kinds: Deployment, Service, Namespace. */
public final class KubeParsers {
    private KubeParsers() {}

    /** @param namespaceLabels labels of the Deployment's Namespace (empty when it is not in the files) */
    public static @Nullable WorkloadSpec deployment(Fields f, Map<String, String> namespaceLabels) {
        Resource r = f.resource();
        MappingNode spec = f.map(r.node(), "spec", "spec", true);
        if (spec == null) {
            return null;
        }
        Integer replicas = f.integer(spec, "replicas", "spec.replicas", false);
        if (replicas != null && replicas < 0) {
            f.error("MP0103", Nodes.get(spec, "replicas"), "spec.replicas", "replicas: " + replicas + " (expected: >= 0)");
        }
        MappingNode template = f.map(spec, "template", "spec.template", true);
        if (template == null) {
            return null;
        }
        MappingNode meta = f.map(template, "metadata", "spec.template.metadata", false);
        Map<String, String> labels = meta == null ? Map.of() : f.stringMap(meta, "labels", "spec.template.metadata.labels");
        Map<String, String> annotations = meta == null ? Map.of()
                : f.stringMap(meta, "annotations", "spec.template.metadata.annotations");
        MappingNode podSpec = f.map(template, "spec", "spec.template.spec", true);
        if (podSpec == null) {
            return null;
        }
        String sa = f.str(podSpec, "serviceAccountName", "spec.template.spec.serviceAccountName", false);
        List<Node> containers = f.list(podSpec, "containers", "spec.template.spec.containers", true);
        if (containers.isEmpty()) {
            if (Nodes.get(podSpec, "containers") != null) {
                f.error("MP0102", podSpec, "spec.template.spec.containers", "a Deployment needs at least one container");
            }
            return null;
        }
        String cp = "spec.template.spec.containers[0]";
        Node c = containers.get(0);
        String image = f.str(c, "image", cp + ".image", true);
        List<EnvVar> env = new ArrayList<>();
        List<Node> envs = f.list(c, "env", cp + ".env", false);
        for (int i = 0; i < envs.size(); i++) {
            String ep = cp + ".env[" + i + "]";
            String name = f.str(envs.get(i), "name", ep + ".name", true);
            String value = f.str(envs.get(i), "value", ep + ".value", false);
            MappingNode from = f.map(envs.get(i), "valueFrom", ep + ".valueFrom", false);
            MappingNode fieldRef = from == null ? null : f.map(from, "fieldRef", ep + ".valueFrom.fieldRef", false);
            String path = fieldRef == null ? null : f.str(fieldRef, "fieldPath", ep + ".valueFrom.fieldRef.fieldPath", true);
            if (name != null) {
                env.add(new EnvVar(name, value, path));
            }
        }
        List<Integer> ports = new ArrayList<>();
        List<Node> portNodes = f.list(c, "ports", cp + ".ports", false);
        for (int i = 0; i < portNodes.size(); i++) {
            Integer p = f.integer(portNodes.get(i), "containerPort", cp + ".ports[" + i + "].containerPort", true);
            if (p != null) {
                ports.add(p);
            }
        }
        if (image == null) {
            return null;
        }
        boolean injected = !"disabled".equals(namespaceLabels.get("istio-injection"))
                && !"false".equals(annotations.get("sidecar.istio.io/inject"));
        return new WorkloadSpec(r.namespace(), r.name(), replicas == null ? 1 : Math.max(0, replicas), labels, image,
                env, sa == null ? "default" : sa, ports, injected);
    }

    public static @Nullable ServiceSpec service(Fields f) {
        Resource r = f.resource();
        MappingNode spec = f.map(r.node(), "spec", "spec", true);
        if (spec == null) {
            return null;
        }
        List<ServicePort> ports = new ArrayList<>();
        List<Node> items = f.list(spec, "ports", "spec.ports", false);
        for (int i = 0; i < items.size(); i++) {
            String pp = "spec.ports[" + i + "]";
            Integer port = f.integer(items.get(i), "port", pp + ".port", true);
            String target = f.str(items.get(i), "targetPort", pp + ".targetPort", false);
            String name = f.str(items.get(i), "name", pp + ".name", false);
            Integer targetNumber = target == null ? port : Fields.parseInt(target);
            if (port != null) {
                ports.add(new ServicePort(name == null ? "" : name, port, targetNumber == null ? port : targetNumber));
            }
        }
        return new ServiceSpec(r.namespace(), r.name(), f.stringMap(spec, "selector", "spec.selector"), ports,
                ExportTo.annotation(f));
    }

    public static Map<String, String> namespaceLabels(Fields f) {
        MappingNode meta = f.map(f.resource().node(), "metadata", "metadata", false);
        return meta == null ? Map.of() : f.stringMap(meta, "labels", "metadata.labels");
    }
}
