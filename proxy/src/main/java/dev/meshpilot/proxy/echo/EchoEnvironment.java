package dev.meshpilot.proxy.echo;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.workload.EnvVar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container environment as Kubernetes gives it: {@code fieldRef} values from the pod, and
 * {@code $(VAR)} references to variables defined earlier expanded ({@code $$} escapes; unknown stays literal).
 */
public final class EchoEnvironment {

    private EchoEnvironment() {}

    public static Map<String, String> resolve(List<EnvVar> env, PodInfo pod) {
        requireNonNull(env, "env");
        requireNonNull(pod, "pod");
        Map<String, String> resolved = new LinkedHashMap<>();
        for (EnvVar var : env) {
            String value;
            if (var.fieldRef() != null) {
                value = pod.field(var.fieldRef());
            } else {
                value = expand(var.value() == null ? "" : var.value(), resolved);
            }
            resolved.put(var.name(), value);
        }
        return resolved;
    }

    /** Expands {@code $(NAME)} with {@code defined}; {@code $$} becomes {@code $}. */
    public static String expand(String value, Map<String, String> defined) {
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '(') {
                int end = value.indexOf(')', i + 2);
                if (end > 0) {
                    String name = value.substring(i + 2, end);
                    String replacement = defined.get(name);
                    out.append(replacement != null ? replacement : value, replacement != null ? 0 : i,
                            replacement != null ? replacement.length() : end + 1);
                    i = end + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** What a {@code fieldRef} can read of the pod. */
    public record PodInfo(String name, String namespace, String serviceAccount) {
        public PodInfo {
            requireNonNull(name, "name");
            requireNonNull(namespace, "namespace");
            requireNonNull(serviceAccount, "serviceAccount");
        }

        String field(String path) {
            return switch (path) {
                case "metadata.name" -> name;
                case "metadata.namespace" -> namespace;
                case "spec.serviceAccountName" -> serviceAccount;
                case "status.podIP", "status.hostIP" -> "127.0.0.1";
                case "spec.nodeName" -> "localhost";
                default -> "";
            };
        }
    }
}
