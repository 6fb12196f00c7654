package dev.meshpilot.policy.workload;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A Deployment: what the fleet (or Kubernetes) runs.
 *
 * @param labels         the pod template's labels
 * @param image          the first container's image
 * @param env            the first container's environment
 * @param serviceAccount {@code spec.template.spec.serviceAccountName}, {@code default} when absent
 * @param containerPorts the first container's ports
 * @param sidecarInjected whether the workload gets a sidecar (Istio's injection label/annotation rules)
 */
public record WorkloadSpec(String namespace, String name, int replicas, Map<String, String> labels, String image,
        List<EnvVar> env, String serviceAccount, List<Integer> containerPorts, boolean sidecarInjected) {

    public WorkloadSpec {
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        requireNonNull(image, "image");
        env = List.copyOf(env);
        requireNonNull(serviceAccount, "serviceAccount");
        containerPorts = List.copyOf(containerPorts);
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }
}
