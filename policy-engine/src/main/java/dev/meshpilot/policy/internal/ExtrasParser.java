package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.HttpExtras.Abort;
import dev.meshpilot.policy.internal.HttpExtras.Cors;
import dev.meshpilot.policy.internal.HttpExtras.Delay;
import dev.meshpilot.policy.internal.HttpExtras.DirectResponse;
import dev.meshpilot.policy.internal.HttpExtras.Mirror;
import dev.meshpilot.policy.internal.HttpExtras.Redirect;
import dev.meshpilot.policy.internal.HttpExtras.Rewrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Parses redirect, rewrite, directResponse, headers, fault, mirror and corsPolicy of an http rule. */
final class ExtrasParser {
    private ExtrasParser() {}

    static HttpExtras parse(Fields f, Node rule, String path, String ns) {
        Redirect redirect = null;
        MappingNode r = f.map(rule, "redirect", path + ".redirect", false);
        if (r != null) {
            Integer code = f.integer(r, "redirectCode", path + ".redirect.redirectCode", false);
            redirect = new Redirect(f.str(r, "uri", path + ".redirect.uri", false),
                    f.str(r, "authority", path + ".redirect.authority", false), code == null ? 301 : code);
        }
        Rewrite rewrite = null;
        MappingNode w = f.map(rule, "rewrite", path + ".rewrite", false);
        if (w != null) {
            rewrite = new Rewrite(f.str(w, "uri", path + ".rewrite.uri", false),
                    f.str(w, "authority", path + ".rewrite.authority", false));
        }
        DirectResponse direct = null;
        MappingNode d = f.map(rule, "directResponse", path + ".directResponse", false);
        if (d != null) {
            Integer status = f.integer(d, "status", path + ".directResponse.status", true);
            MappingNode body = f.map(d, "body", path + ".directResponse.body", false);
            direct = new DirectResponse(status == null ? 200 : status,
                    body == null ? null : f.str(body, "string", path + ".directResponse.body.string", false));
        }
        if (redirect != null && direct != null) {
            f.error("MP0103", d, path, "redirect and directResponse cannot both be set");
        }
        MappingNode headers = f.map(rule, "headers", path + ".headers", false);
        MappingNode req = headers == null ? null : f.map(headers, "request", path + ".headers.request", false);
        MappingNode res = headers == null ? null : f.map(headers, "response", path + ".headers.response", false);
        String hp = path + ".headers.";
        Delay delay = null;
        Abort abort = null;
        MappingNode fault = f.map(rule, "fault", path + ".fault", false);
        if (fault != null) {
            MappingNode dl = f.map(fault, "delay", path + ".fault.delay", false);
            if (dl != null) {
                Duration fixed = f.duration(dl, "fixedDelay", path + ".fault.delay.fixedDelay");
                delay = new Delay(fixed == null ? Duration.ZERO : fixed, percentage(f, dl, path + ".fault.delay"));
            }
            MappingNode ab = f.map(fault, "abort", path + ".fault.abort", false);
            if (ab != null) {
                Integer status = f.integer(ab, "httpStatus", path + ".fault.abort.httpStatus", false);
                abort = new Abort(status == null ? 503 : status, percentage(f, ab, path + ".fault.abort"));
            }
        }
        Mirror mirror = null;
        MappingNode mi = f.map(rule, "mirror", path + ".mirror", false);
        if (mi != null) {
            String host = f.str(mi, "host", path + ".mirror.host", true);
            MappingNode port = f.map(mi, "port", path + ".mirror.port", false);
            if (host != null) {
                mirror = new Mirror(Hosts.fqdn(host, ns), f.str(mi, "subset", path + ".mirror.subset", false),
                        port == null ? null : f.integer(port, "number", path + ".mirror.port.number", false),
                        mirrorPercent(f, rule, path));
            }
        }
        return new HttpExtras(redirect, rewrite, direct,
                sm(f, req, "set", hp + "request.set"), sm(f, req, "add", hp + "request.add"),
                sl(f, req, "remove", hp + "request.remove"), sm(f, res, "set", hp + "response.set"),
                sm(f, res, "add", hp + "response.add"), sl(f, res, "remove", hp + "response.remove"),
                delay, abort, mirror, cors(f, rule, path + ".corsPolicy"));
    }

    private static @Nullable Cors cors(Fields f, Node rule, String path) {
        MappingNode c = f.map(rule, "corsPolicy", path, false);
        if (c == null) {
            return null;
        }
        List<String> origins = new ArrayList<>(f.strings(c, "allowOrigin", path + ".allowOrigin"));
        for (Node o : f.list(c, "allowOrigins", path + ".allowOrigins", false)) {
            String exact = Nodes.text(Nodes.get(o, "exact"));
            String prefix = Nodes.text(Nodes.get(o, "prefix"));
            origins.add(exact != null ? exact : prefix != null ? prefix + "*" : java.util.Objects.toString(Nodes.text(Nodes.get(o, "regex")), ""));
        }
        return new Cors(origins, f.strings(c, "allowMethods", path + ".allowMethods"),
                f.strings(c, "allowHeaders", path + ".allowHeaders"), f.strings(c, "exposeHeaders", path + ".exposeHeaders"),
                f.duration(c, "maxAge", path + ".maxAge"), f.bool(c, "allowCredentials", path + ".allowCredentials"));
    }

    private static double percentage(Fields f, Node node, String path) {
        MappingNode p = f.map(node, "percentage", path + ".percentage", false);
        if (p != null) {
            return number(f, p, "value", path + ".percentage.value", 100);
        }
        Integer legacy = f.integer(node, "percent", path + ".percent", false);
        return legacy == null ? 100 : legacy;
    }

    private static double mirrorPercent(Fields f, Node rule, String path) {
        MappingNode p = f.map(rule, "mirrorPercentage", path + ".mirrorPercentage", false);
        if (p != null) {
            return number(f, p, "value", path + ".mirrorPercentage.value", 100);
        }
        Integer legacy = f.integer(rule, "mirrorPercent", path + ".mirrorPercent", false);
        return legacy == null ? 100 : legacy;
    }

    private static double number(Fields f, Node node, String key, String path, double fallback) {
        String t = f.str(node, key, path, false);
        if (t == null) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(t);
            if (v >= 0 && v <= 100) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        f.error("MP0103", Nodes.get(node, key), path, "percentage: " + t + " (expected: 0..100)");
        return fallback;
    }

    private static Map<String, String> sm(Fields f, @Nullable Node parent, String key, String path) {
        return parent == null ? Map.of() : f.stringMap(parent, key, path);
    }

    private static List<String> sl(Fields f, @Nullable Node parent, String key, String path) {
        return parent == null ? List.of() : f.strings(parent, key, path);
    }
}
