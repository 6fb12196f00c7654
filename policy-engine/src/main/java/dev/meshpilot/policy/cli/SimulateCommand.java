package dev.meshpilot.policy.cli;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.cli.ConfigFiles.UsageException;
import dev.meshpilot.policy.internal.CompiledSnapshot;
import dev.meshpilot.policy.internal.Durations;
import dev.meshpilot.policy.internal.Net.GatewayDef;
import dev.meshpilot.policy.route.EgressDecision;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RequestAttributes;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.policy.security.AuthorizationDecision;
import dev.meshpilot.policy.security.AuthzRequest;
import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** {@code meshpilot simulate}: the route, authorization and mTLS decisions for one request. */
final class SimulateCommand {
    private SimulateCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean json = PolicyCli.json(args);
        List<String> configs = new ArrayList<>();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String gateway = null;
        String from = null;
        Map<String, Object> claims = Map.of();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--config" -> configs.add(value(args, ++i, a));
                case "--gateway" -> gateway = value(args, ++i, a);
                case "--from" -> from = value(args, ++i, a);
                case "-H", "--header" -> {
                    String h = value(args, ++i, a);
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        throw new UsageException("-H: expected 'Name: value', got " + h);
                    }
                    headers.computeIfAbsent(h.substring(0, colon).trim(), k -> new ArrayList<>())
                            .add(h.substring(colon + 1).trim());
                }
                case "--jwt-claims" -> claims = claims(value(args, ++i, a));
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option: " + a);
                    }
                    positional.add(a);
                }
            }
        }
        if (configs.isEmpty() || positional.size() != 2 || (gateway == null) == (from == null)) {
            throw new UsageException("simulate: expected --config PATH, one of --gateway or --from, METHOD and URL");
        }
        CompileResult compiled = MeshCompiler.compile("simulate", ConfigFiles.read(configs));
        if (compiled.snapshot() == null) {
            compiled.errors().forEach(f -> err.println(PolicyCli.text(f)));
            return 1;
        }
        MeshSnapshot snapshot = compiled.snapshot();
        URI url = url(positional.get(1));
        String method = positional.get(0).toUpperCase(java.util.Locale.ROOT);
        ProxyRef proxy = gateway != null ? gatewayProxy(snapshot, gateway) : sidecar(snapshot, from);
        int port = url.getPort() > 0 ? url.getPort() : (proxy.kind() == ProxyRef.Kind.GATEWAY ? 80 : 80);
        String authority = url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost();
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        RouteDecision decision = snapshot.route(proxy, new RequestAttributes(method, authority, path, port, headers));
        Simulation sim = Simulation.of(snapshot, proxy, decision, new AuthzRequest(null, null, null,
                url.getHost(), method, path, port, headers, claims));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("route", route(snapshot, decision));
        Map<String, Object> authz = new LinkedHashMap<>();
        authz.put("allowed", sim.authorization().allowed());
        authz.put("policy", sim.authorization().policy());
        authz.put("action", sim.authorization().action());
        authz.put("reason", sim.authorization().reason());
        authz.put("rule", sim.authorization().rule());
        authz.put("legacySource", sim.authorization().legacySource());
        doc.put("authorization", authz);
        doc.put("mtls", Map.of("mode", sim.mtls().name()));
        String compatibility = compatibility(snapshot, proxy, decision);
        if (compatibility != null) {
            doc.put("warnings", List.of(compatibility));
        }
        EgressDecision egress = proxy.kind() == ProxyRef.Kind.SIDECAR
                ? snapshot.egress(proxy.namespace(), proxy.labels(), authority, port) : null;
        if (egress != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("allowed", egress.allowed());
            e.put("mode", egress.mode());
            e.put("sidecar", egress.sidecar());
            e.put("reason", egress.reason());
            doc.put("egress", e);
        }
        if (json) {
            out.println(Json.write(doc));
        } else {
            if (egress != null) {
                out.println("egress: " + (egress.allowed() ? "ALLOWED" : "BLOCKED") + " — " + egress.reason());
            }
            Simulation.printText(out, decision, sim);
            if (compatibility != null) {
                out.println("warning: " + compatibility);
            }
        }
        return 0;
    }

    /** A note when a destination's DestinationRule is found only by the Istio 1.0–1.4 compatibility fallback. */
    private static @Nullable String compatibility(MeshSnapshot snapshot, ProxyRef proxy, RouteDecision decision) {
        if (!(snapshot instanceof CompiledSnapshot c)) {
            return null;
        }
        for (WeightedDestination w : decision.destinations()) {
            var rule = c.compatibilityRule(proxy.namespace(), w.host());
            if (rule.isPresent()) {
                return "DestinationRule " + rule.get().src().key() + " applies to " + w.host() + " for clients in "
                        + proxy.namespace() + " only as in Istio 1.0–1.4 (Istio 1.5+ would not apply it): move it to "
                        + "the service's namespace or istio-system";
            }
        }
        return null;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UsageException(option + ": a value is needed");
        }
        return args.get(i);
    }

    private static URI url(String text) {
        try {
            URI uri = URI.create(text.contains("://") ? text : "http://" + text);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException("URL: " + text + " (expected: like http://hello.example.com/path)");
        }
    }

    private static Map<String, Object> claims(String json) {
        try {
            Object value = new Load(LoadSettings.builder().build()).loadFromString(json);
            if (value instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(String.valueOf(k), v));
                return out;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new UsageException("--jwt-claims: expected a JSON object such as {\"iss\":\"...\",\"sub\":\"...\"}");
    }

    private static ProxyRef gatewayProxy(MeshSnapshot snapshot, String key) {
        if (key.equals("istio-system/istio-ingressgateway")) {
            return ProxyRef.ingressGateway();
        }
        if (snapshot instanceof CompiledSnapshot c) {
            for (GatewayDef g : c.model().gateways()) {
                if (g.src().key().equals(key) || g.src().name().equals(key)) {
                    return new ProxyRef(ProxyRef.Kind.GATEWAY, "istio-system", g.selector(),
                            "istio-ingressgateway-service-account", null);
                }
            }
        }
        throw new UsageException("--gateway: no Gateway " + key + " in the configuration");
    }

    private static ProxyRef sidecar(MeshSnapshot snapshot, String key) {
        for (WorkloadSpec w : snapshot.workloads()) {
            if (w.key().equals(key) || ("default/" + key).equals(w.key())) {
                return ProxyRef.sidecar(w.namespace(), w.name(), w.labels(), w.serviceAccount());
            }
        }
        throw new UsageException("--from: no Deployment " + key + " in the configuration");
    }

    private static @Nullable Map<String, Object> route(MeshSnapshot snapshot, RouteDecision d) {
        if (!d.routed() && d.virtualService() == null) {
            return null;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("virtualService", d.virtualService());
        r.put("rule", d.rule());
        List<Object> dests = new ArrayList<>();
        for (WeightedDestination w : d.destinations()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", w.host());
            m.put("subset", w.subset());
            m.put("port", w.port());
            m.put("weight", w.weight());
            dests.add(m);
        }
        r.put("destinations", dests);
        r.put("timeout", d.timeout() == null ? null : Durations.format(d.timeout()));
        if (d.retries() == null) {
            r.put("retries", null);
        } else {
            Map<String, Object> retries = new LinkedHashMap<>();
            retries.put("attempts", d.retries().attempts());
            retries.put("perTryTimeout", d.retries().perTryTimeout() == null ? null
                    : Durations.format(d.retries().perTryTimeout()));
            retries.put("retryOn", d.retries().retryOn());
            r.put("retries", retries);
        }
        RouteExtrasJson.put(r, d);
        return r;
    }
}
