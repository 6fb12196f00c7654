package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.security.AuthzRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The values an AuthorizationPolicy {@code when} key names in a request. */
final class Conditions {
    private Conditions() {}

    static List<String> values(String key, AuthzRequest req) {
        if (key.startsWith("request.auth.claims[")) {
            Object v = req.claims();
            for (String part : key.substring("request.auth.claims".length()).split("\\]")) {
                String name = part.startsWith("[") ? part.substring(1) : part;
                if (name.isEmpty()) {
                    continue;
                }
                v = v instanceof Map<?, ?> m ? m.get(name) : null;
            }
            return flatten(v);
        }
        if (key.startsWith("request.headers[") && key.endsWith("]")) {
            return flatten(req.header(key.substring("request.headers[".length(), key.length() - 1)));
        }
        return switch (key) {
            case "request.auth.principal" -> flatten(req.requestPrincipal());
            case "request.auth.audiences" -> flatten(req.claims().get("aud"));
            case "request.auth.presenter" -> flatten(req.claims().get("azp"));
            case "source.ip", "remote.ip" -> flatten(req.sourceIp());
            case "source.namespace" -> flatten(req.sourceNamespace());
            case "source.principal" -> flatten(req.sourcePrincipal());
            case "destination.port" -> List.of(Integer.toString(req.port()));
            case "connection.sni" -> List.of(req.host());
            default -> List.of();
        };
    }

    private static List<String> flatten(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.forEach(x -> out.add(String.valueOf(x)));
        } else if (v != null) {
            out.add(String.valueOf(v));
        }
        return out;
    }
}
