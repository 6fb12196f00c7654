package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.route.HttpRouteExtras;
import dev.meshpilot.policy.route.HttpRouteExtras.Abort;
import dev.meshpilot.policy.route.HttpRouteExtras.Delay;
import dev.meshpilot.policy.route.HttpRouteExtras.DirectResponse;
import dev.meshpilot.policy.route.HttpRouteExtras.Fault;
import dev.meshpilot.policy.route.HttpRouteExtras.HeaderOperations;
import dev.meshpilot.policy.route.HttpRouteExtras.Mirror;
import dev.meshpilot.policy.route.HttpRouteExtras.Redirect;
import dev.meshpilot.policy.route.HttpRouteExtras.RegexRewrite;
import dev.meshpilot.policy.route.HttpRouteExtras.Rewrite;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Parses redirect, rewrite, directResponse, headers (and the v1alpha3 {@code appendHeaders},
 * {@code append/removeRequestHeaders}, {@code append/removeResponseHeaders}), fault, mirror and corsPolicy of an http
 * rule into the public {@link HttpRouteExtras}.
 */
final class ExtrasParser {
    private static final Set<String> DERIVE_PORT = Set.of("FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT");

    private ExtrasParser() {}

    static HttpRouteExtras parse(Fields f, Node rule, String path, String ns) {
        Redirect redirect = redirect(f, rule, path + ".redirect");
        DirectResponse direct = directResponse(f, rule, path + ".directResponse");
        if (redirect != null && direct != null) {
            f.error("MP0103", Nodes.get(rule, "directResponse"), path, "redirect and directResponse cannot both be set");
        }
        MappingNode headers = f.map(rule, "headers", path + ".headers", false);
        MappingNode req = headers == null ? null : f.map(headers, "request", path + ".headers.request", false);
        MappingNode res = headers == null ? null : f.map(headers, "response", path + ".headers.response", false);
        HeaderOperations request = operations(f, req, path + ".headers.request", rule, path,
                List.of("appendHeaders", "appendRequestHeaders"), "removeRequestHeaders");
        HeaderOperations response = operations(f, res, path + ".headers.response", rule, path,
                List.of("appendResponseHeaders"), "removeResponseHeaders");
        HttpRouteExtras extras = new HttpRouteExtras(redirect, direct, rewrite(f, rule, path + ".rewrite"), request,
                response, fault(f, rule, path + ".fault"), mirror(f, rule, path, ns), CorsParser.parse(f, rule,
                path + ".corsPolicy"));
        return extras.isEmpty() ? HttpRouteExtras.NONE : extras;
    }

    private static @Nullable Redirect redirect(Fields f, Node rule, String path) {
        MappingNode r = f.map(rule, "redirect", path, false);
        if (r == null) {
            return null;
        }
        Integer code = f.integer(r, "redirectCode", path + ".redirectCode", false);
        if (code != null && (code < 300 || code > 399)) {
            f.error("MP0103", Nodes.get(r, "redirectCode"), path + ".redirectCode", "redirectCode: " + code
                    + " (expected: 3xx)");
            code = null;
        }
        Integer port = f.integer(r, "port", path + ".port", false);
        if (port != null && (port < 1 || port > 65535)) {
            f.error("MP0103", Nodes.get(r, "port"), path + ".port", "port: " + port + " (expected: 1..65535)");
            port = null;
        }
        String derive = f.str(r, "derivePort", path + ".derivePort", false);
        if (derive != null && !DERIVE_PORT.contains(derive)) {
            f.error("MP0103", Nodes.get(r, "derivePort"), path + ".derivePort", "derivePort: " + derive
                    + " (expected: FROM_PROTOCOL_DEFAULT or FROM_REQUEST_PORT)");
            derive = null;
        }
        return new Redirect(f.str(r, "uri", path + ".uri", false), f.str(r, "authority", path + ".authority", false),
                f.str(r, "scheme", path + ".scheme", false), port, derive, code == null ? 301 : code);
    }

    private static @Nullable Rewrite rewrite(Fields f, Node rule, String path) {
        MappingNode w = f.map(rule, "rewrite", path, false);
        if (w == null) {
            return null;
        }
        String uri = f.str(w, "uri", path + ".uri", false);
        RegexRewrite regex = null;
        MappingNode rr = f.map(w, "uriRegexRewrite", path + ".uriRegexRewrite", false);
        if (rr != null) {
            String match = f.str(rr, "match", path + ".uriRegexRewrite.match", true);
            String replacement = f.str(rr, "rewrite", path + ".uriRegexRewrite.rewrite", true);
            if (match != null && replacement != null && compiles(f, rr, match, path + ".uriRegexRewrite.match")) {
                regex = new RegexRewrite(match, replacement);
            }
            if (uri != null) {
                f.error("MP0103", rr, path, "uri and uriRegexRewrite cannot both be set");
            }
        }
        return new Rewrite(uri, regex, f.str(w, "authority", path + ".authority", false));
    }

    private static boolean compiles(Fields f, Node at, String regex, String path) {
        try {
            Pattern.compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            f.error("MP0103", Nodes.get(at, "match"), path, "regex: " + regex + " (expected: a valid regular expression)");
            return false;
        }
    }

    private static @Nullable DirectResponse directResponse(Fields f, Node rule, String path) {
        MappingNode d = f.map(rule, "directResponse", path, false);
        if (d == null) {
            return null;
        }
        Integer status = f.integer(d, "status", path + ".status", true);
        if (status != null && (status < 200 || status > 599)) {
            f.error("MP0103", Nodes.get(d, "status"), path + ".status", "status: " + status + " (expected: 200..599)");
            status = null;
        }
        MappingNode body = f.map(d, "body", path + ".body", false);
        String text = body == null ? null : f.str(body, "string", path + ".body.string", false);
        String bytes = body == null ? null : f.str(body, "bytes", path + ".body.bytes", false);
        if (text == null && bytes != null) {
            try {
                text = new String(Base64.getDecoder().decode(bytes.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                f.error("MP0103", Nodes.get(body, "bytes"), path + ".body.bytes", "bytes: " + bytes
                        + " (expected: base64)");
            }
        }
        return new DirectResponse(status == null ? 200 : status, text);
    }

    private static HeaderOperations operations(Fields f, @Nullable MappingNode node, String path, Node rule,
            String rulePath, List<String> legacyAdd, String legacyRemove) {
        Map<String, String> set = node == null ? Map.of() : f.stringMap(node, "set", path + ".set");
        Map<String, String> add = new LinkedHashMap<>();
        for (String key : legacyAdd) {
            add.putAll(f.stringMap(rule, key, rulePath + "." + key));
        }
        if (node != null) {
            add.putAll(f.stringMap(node, "add", path + ".add"));
        }
        List<String> remove = new ArrayList<>(f.strings(rule, legacyRemove, rulePath + "." + legacyRemove));
        if (node != null) {
            remove.addAll(f.strings(node, "remove", path + ".remove"));
        }
        if (set.isEmpty() && add.isEmpty() && remove.isEmpty()) {
            return HeaderOperations.NONE;
        }
        return new HeaderOperations(set, add, remove);
    }

    private static @Nullable Fault fault(Fields f, Node rule, String path) {
        MappingNode fault = f.map(rule, "fault", path, false);
        if (fault == null) {
            return null;
        }
        Delay delay = null;
        MappingNode dl = f.map(fault, "delay", path + ".delay", false);
        if (dl != null) {
            Duration fixed = f.duration(dl, "fixedDelay", path + ".delay.fixedDelay");
            delay = new Delay(fixed == null ? Duration.ZERO : fixed, percentage(f, dl, path + ".delay"));
        }
        Abort abort = null;
        MappingNode ab = f.map(fault, "abort", path + ".abort", false);
        if (ab != null) {
            Integer status = f.integer(ab, "httpStatus", path + ".abort.httpStatus", false);
            abort = new Abort(status == null ? 503 : status, percentage(f, ab, path + ".abort"));
        }
        return delay == null && abort == null ? null : new Fault(delay, abort);
    }

    private static @Nullable Mirror mirror(Fields f, Node rule, String path, String ns) {
        MappingNode mi = f.map(rule, "mirror", path + ".mirror", false);
        if (mi == null) {
            return null;
        }
        String host = f.str(mi, "host", path + ".mirror.host", true);
        MappingNode port = f.map(mi, "port", path + ".mirror.port", false);
        if (host == null) {
            return null;
        }
        return new Mirror(Hosts.fqdn(host, ns), f.str(mi, "subset", path + ".mirror.subset", false),
                port == null ? null : f.integer(port, "number", path + ".mirror.port.number", false),
                mirrorPercent(f, rule, path));
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
}
