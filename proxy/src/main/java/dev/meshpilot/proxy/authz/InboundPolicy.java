package dev.meshpilot.proxy.authz;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.security.AuthorizationDecision;
import dev.meshpilot.policy.security.AuthzRequest;
import dev.meshpilot.policy.security.JwtRule;
import dev.meshpilot.proxy.identity.PeerPrincipal;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.jwt.JwtAuthenticator;
import dev.meshpilot.proxy.jwt.JwtResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides a request at a workload's inbound listener, in Istio's order: the path is normalized (BASE), the JWT is
 * verified against the RequestAuthentication rules of the workload (an invalid token: 401 {@value #JWT_FAILED}), the
 * token leaves the request (Istio's {@code forwardOriginalToken: false}), then the snapshot authorizes with the peer's
 * mTLS identity (from {@link PeerPrincipal}, never from headers) and the token's claims (denied: 403
 * {@value #DENIED}). Uses the snapshot the sidecar serves at the moment. Thread-safe.
 */
public final class InboundPolicy {

    public static final String DENIED = "RBAC: access denied";
    public static final String JWT_FAILED = "Jwt verification fails";

    private final ProxyRef self;
    private final Supplier<@Nullable MeshSnapshot> snapshot;
    private final JwtAuthenticator jwt;
    private final OperatorHeader operator;
    private final WorkloadPort port;

    /** @param operatorToken the mesh's operator token, null when the operator header is off */
    public InboundPolicy(ProxyRef self, Supplier<@Nullable MeshSnapshot> snapshot, JwtAuthenticator jwt,
            @Nullable String operatorToken) {
        this.self = requireNonNull(self, "self");
        this.snapshot = requireNonNull(snapshot, "snapshot");
        this.jwt = requireNonNull(jwt, "jwt");
        this.operator = new OperatorHeader(operatorToken);
        this.port = new WorkloadPort(self);
    }

    /**
     * The verdict on one request. Removes from {@code headers} what the workload must not see: the operator's debug
     * header (any value) and verified tokens.
     *
     * @param authority the Host the client named (the original one, before the proxy rewrote it)
     * @param headers   the request headers to forward, lower-case names, mutable
     */
    public AuthzVerdict check(PeerPrincipal peer, @Nullable String sourceIp, String method, String authority,
            String pathAndQuery, Map<String, List<String>> headers) {
        requireNonNull(peer, "peer");
        requireNonNull(method, "method");
        requireNonNull(authority, "authority");
        requireNonNull(pathAndQuery, "pathAndQuery");
        boolean debug = operator.matches(headers.remove(OperatorHeader.DEBUG));
        if (!method.equals(method.toUpperCase(Locale.ROOT))) {
            return answer(debug, 400, "invalid method", pathAndQuery, null, "method " + method + " is not upper case");
        }
        PathNormalizer.Normalized path = PathNormalizer.normalize(pathAndQuery);
        if (path == null) {
            return answer(debug, 400, "invalid path", pathAndQuery, null, "path contains %00");
        }
        MeshSnapshot mesh = snapshot.get();
        if (mesh == null) {
            return new AuthzVerdict(0, "", path.pathAndQuery(), null, null, null, null);
        }
        List<JwtRule> rules = mesh.jwtRules(self.namespace(), self.labels());
        JwtResult token = rules.isEmpty() ? JwtResult.noToken() : jwt.authenticate(rules, headers, path.query());
        if (token.status() == JwtResult.Status.INVALID) {
            return answer(debug, 401, JWT_FAILED, path.pathAndQuery(), null, token.reason());
        }
        if (token.status() == JwtResult.Status.VALID) {
            stripTokens(rules, headers);
        }
        SpiffeId id = peer.spiffeId();
        AuthzRequest request = new AuthzRequest(peer.principal(), id == null ? null : id.namespace(), sourceIp,
                hostOf(authority), method, path.path(), port.of(mesh), headers, token.claims());
        AuthorizationDecision decision = mesh.authorize(self.namespace(), self.labels(), request);
        if (decision.allowed()) {
            return new AuthzVerdict(0, "", path.pathAndQuery(), decision.policy(), null, decision.reason(),
                    debug ? OperatorHeader.value(true, decision.policy(), null, decision.reason()) : null);
        }
        String origin = token.status() == JwtResult.Status.NO_TOKEN
                ? LegacyOriginRequirement.requiredBy(decision, rules) : null;
        if (origin != null) {
            return answer(debug, 401, JWT_FAILED, path.pathAndQuery(), decision.policy(),
                    "Jwt is missing (a token is required by the origins of legacy Policy " + origin + ")");
        }
        return answer(debug, 403, DENIED, path.pathAndQuery(), decision.policy(), decision.reason());
    }

    private static AuthzVerdict answer(boolean debug, int status, String body, String pathAndQuery,
            @Nullable String policy, @Nullable String reason) {
        return new AuthzVerdict(status, body, pathAndQuery, policy, null, reason,
                debug ? OperatorHeader.value(false, policy, null, reason) : null);
    }

    /** Removes the header values that carried a token for one of {@code rules} (query parameters stay, as in Envoy). */
    static void stripTokens(List<JwtRule> rules, Map<String, List<String>> headers) {
        for (JwtRule rule : rules) {
            for (JwtRule.TokenHeader location : rule.tokenHeaders()) {
                List<String> values = headers.get(location.name());
                if (values == null) {
                    continue;
                }
                List<String> kept = new ArrayList<>();
                for (String value : values) {
                    if (!carriesToken(value, location.prefix())) {
                        kept.add(value);
                    }
                }
                if (kept.isEmpty()) {
                    headers.remove(location.name());
                } else {
                    headers.put(location.name(), List.copyOf(kept));
                }
            }
        }
    }

    private static boolean carriesToken(String value, @Nullable String prefix) {
        String v = value.trim();
        if (prefix == null || prefix.isBlank()) {
            return !v.isEmpty();
        }
        String p = prefix.trim();
        return v.regionMatches(true, 0, p, 0, p.length()) && !v.substring(p.length()).isBlank();
    }

    /** {@code host:port} without the port, lower case; IPv6 literals keep their brackets. */
    static String hostOf(String authority) {
        String a = authority.trim().toLowerCase(Locale.ROOT);
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end < 0 ? a : a.substring(0, end + 1);
        }
        int colon = a.indexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }
}
