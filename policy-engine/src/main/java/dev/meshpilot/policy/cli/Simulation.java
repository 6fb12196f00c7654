package dev.meshpilot.policy.cli;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.internal.Durations;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.WeightedDestination;
import dev.meshpilot.policy.security.AuthorizationDecision;
import dev.meshpilot.policy.security.AuthzRequest;
import dev.meshpilot.policy.security.CustomAuthorization;
import dev.meshpilot.policy.security.JwtRequirement;
import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.policy.workload.WorkloadSpec;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The security half of a simulation, evaluated at the destination workload: the DestinationRule the client's namespace
 * uses picks the subset's workloads, then a legacy origin's token requirement (401), CUSTOM, DENY and ALLOW policies.
 */
record Simulation(AuthorizationDecision authorization, MtlsMode mtls, @Nullable WorkloadSpec target) {
    static Simulation of(MeshSnapshot snapshot, ProxyRef proxy, RouteDecision decision, AuthzRequest base) {
        if (decision.destinations().isEmpty()) {
            return new Simulation(new AuthorizationDecision(false, null, null, "no route: the request is not forwarded"),
                    MtlsMode.PERMISSIVE, null);
        }
        WeightedDestination first = decision.destinations().stream().filter(w -> w.weight() > 0).findFirst()
                .orElse(decision.destinations().get(0));
        var resolved = snapshot.resolve(proxy.namespace(), first.host(), first.subset(), first.port() == null ? 0 : first.port());
        if (resolved.isEmpty() && first.subset() != null && snapshot.resolve(first.host(), null, 0).isPresent()) {
            return new Simulation(new AuthorizationDecision(false, null, null, "503: subset " + first.subset() + " of "
                    + first.host() + " is not defined by the DestinationRule that clients in " + proxy.namespace()
                    + " use"), MtlsMode.PERMISSIVE, null);
        }
        if (resolved.isEmpty()) {
            return new Simulation(new AuthorizationDecision(true, null, null,
                    "the destination " + first.host() + " is outside the mesh: no authorization applies"),
                    MtlsMode.DISABLE, null);
        }
        WorkloadSpec target = snapshot.workloads().stream().filter(w -> w.namespace().equals(resolved.get().namespace())
                && resolved.get().selects(w.labels())).findFirst().orElse(null);
        Map<String, String> labels = target == null ? resolved.get().selector() : target.labels();
        int port = resolved.get().targetPort();
        MtlsMode mode = snapshot.mtlsMode(resolved.get().namespace(), labels, port);
        boolean mutual = mode != MtlsMode.DISABLE && (target == null || target.sidecarInjected());
        String principal = mutual ? "cluster.local/ns/" + proxy.namespace() + "/sa/" + proxy.serviceAccount() : null;
        Map<String, Object> claims = base.claims();
        Optional<JwtRequirement> required = snapshot.jwtRequirement(resolved.get().namespace(), labels, base.path());
        if (required.isPresent() && claims.isEmpty()) {
            return new Simulation(new AuthorizationDecision(false, required.get().policy(), null, "401: origin "
                    + "authentication of Policy " + required.get().policy() + " requires a token of "
                    + String.join(" or ", required.get().issuers()) + " and the request carries none"), mode, target);
        }
        var jwtRules = snapshot.jwtRules(resolved.get().namespace(), labels);
        String issuer = String.valueOf(claims.get("iss"));
        if (!claims.isEmpty()) {
            if (jwtRules.stream().noneMatch(r -> r.issuer().equals(issuer))) {
                if (!jwtRules.isEmpty()) {
                    return new Simulation(new AuthorizationDecision(false, jwtRules.get(0).policy(), null,
                            "401: the token's issuer " + issuer + " is not accepted by RequestAuthentication "
                                    + jwtRules.get(0).policy()), mode, target);
                }
                claims = Map.of();
            }
        }
        AuthzRequest request = new AuthzRequest(principal, mutual ? proxy.namespace() : null, base.sourceIp(),
                base.host(), base.method(), base.path(), port, base.headers(), claims);
        AuthorizationDecision authorized = snapshot.authorize(resolved.get().namespace(), labels, request);
        Optional<CustomAuthorization> custom = snapshot.customAuthorization(resolved.get().namespace(), labels, request);
        if (custom.isPresent()) {
            authorized = authorized.withReason("CUSTOM policy " + custom.get().policy() + " first asks extension provider "
                    + custom.get().provider().name() + " (not simulated; assumed to allow); then " + authorized.reason());
        }
        return new Simulation(authorized, mode, target);
    }

    static void printText(PrintStream out, RouteDecision d, Simulation sim) {
        if (!d.routed()) {
            out.println("route: none (404 no route)");
        } else {
            out.println("route: " + (d.virtualService() == null ? "default route to the service"
                    : d.virtualService() + " rule " + d.rule()));
            for (WeightedDestination w : d.destinations()) {
                out.println("  → " + w.host() + (w.subset() == null ? "" : " subset " + w.subset())
                        + (w.port() == null ? "" : " port " + w.port()) + " weight " + w.weight() + "%");
            }
            if (d.timeout() != null) {
                out.println("  timeout " + Durations.format(d.timeout()));
            }
            if (d.retries() != null) {
                out.println("  retries " + d.retries().attempts() + (d.retries().perTryTimeout() == null ? ""
                        : " × " + Durations.format(d.retries().perTryTimeout())) + (d.retries().retryOn().isEmpty()
                        ? "" : " on " + String.join(",", d.retries().retryOn())));
            }
        }
        out.println("authorization: " + (sim.authorization().allowed() ? "ALLOWED" : "DENIED") + " — "
                + sim.authorization().reason());
        AuthorizationDecision a = sim.authorization();
        if (a.rule() != null || a.legacySource() != null) {
            out.println("  decided by " + (a.rule() == null ? "" : "rule " + a.rule() + " of ") + a.policy()
                    + (a.legacySource() == null ? "" : " (converted from " + a.legacySource() + ")"));
        }
        out.println("mtls: " + sim.mtls());
    }
}
