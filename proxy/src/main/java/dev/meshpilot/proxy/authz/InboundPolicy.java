package dev.meshpilot.proxy.authz;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.route.PathNormalization;
import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.security.AuthorizationDecision;
import dev.meshpilot.policy.security.AuthzRequest;
import dev.meshpilot.policy.security.CustomAuthorization;
import dev.meshpilot.policy.security.JwtRequirement;
import dev.meshpilot.policy.security.JwtRule;
import dev.meshpilot.proxy.identity.PeerPrincipal;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.internal.Authorities;
import dev.meshpilot.proxy.jwt.JwtAuthenticator;
import dev.meshpilot.proxy.jwt.JwtResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides a request at a workload's inbound listener, in Istio's order: the path is normalized (the mesh's
 * pathNormalization, BASE by default), the JWT is
 * verified against the RequestAuthentication rules of the workload (an invalid token, or none where a legacy Policy's
 * origins require one: 401 {@value #JWT_FAILED}), the token leaves the request unless {@code forwardOriginalToken}
 * (and fills {@code outputPayloadToHeader} / {@code outputClaimToHeaders}), then the snapshot authorizes with the peer's
 * mTLS identity (from {@link PeerPrincipal}, never from headers) and the token's claims (denied: 403
 * {@value #DENIED}); a CUSTOM policy's external authorizer is asked before that ({@link ExternalAuthorizer}). Uses
 * the snapshot the sidecar serves at the moment. Thread-safe.
 */
public final class InboundPolicy {

    public static final String DENIED = "RBAC: access denied";
    public static final String JWT_FAILED = "Jwt verification fails";

    private final ProxyRef self;
    private final Supplier<@Nullable MeshSnapshot> snapshot;
    private final JwtAuthenticator jwt;
    private final OperatorHeader operator;
    private final WorkloadPort port;
    private final ExternalAuthorizer external;

    /** An inbound policy whose CUSTOM checks connect to the authorizer directly (no sidecar outbound listener). */
    public InboundPolicy(ProxyRef self, Supplier<@Nullable MeshSnapshot> snapshot, JwtAuthenticator jwt,
            @Nullable String operatorToken) {
        this(self, snapshot, jwt, operatorToken, new ExternalAuthorizer(() -> null, null));
    }

    /**
     * @param operatorToken the mesh's operator token, null when the operator header is off
     * @param external      asks the external authorizers of CUSTOM policies (closed by its owner)
     */
    public InboundPolicy(ProxyRef self, Supplier<@Nullable MeshSnapshot> snapshot, JwtAuthenticator jwt,
            @Nullable String operatorToken, ExternalAuthorizer external) {
        this.external = requireNonNull(external, "external");
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
            String pathAndQuery, Map<String, List<String>> headers) throws InterruptedException {
        requireNonNull(peer, "peer");
        requireNonNull(method, "method");
        requireNonNull(authority, "authority");
        requireNonNull(pathAndQuery, "pathAndQuery");
        boolean debug = operator.matches(headers.remove(OperatorHeader.DEBUG));
        if (!method.equals(method.toUpperCase(Locale.ROOT))) {
            return answer(debug, 400, "invalid method", pathAndQuery, null, "method " + method + " is not upper case");
        }
        MeshSnapshot mesh = snapshot.get();
        PathNormalizer.Normalized path = PathNormalizer.normalize(pathAndQuery,
                mesh == null ? PathNormalization.BASE : mesh.pathNormalization());
        if (path == null) {
            return answer(debug, 400, "invalid path", pathAndQuery, null, "path contains %00");
        }
        if (mesh == null) {
            return new AuthzVerdict(0, "", path.pathAndQuery(), null, null, null, Map.of());
        }
        List<JwtRule> rules = mesh.jwtRules(self.namespace(), self.labels());
        JwtResult token = rules.isEmpty() ? JwtResult.noToken() : jwt.authenticate(rules, headers, path.query());
        if (token.status() == JwtResult.Status.INVALID) {
            return unauthenticated(debug, authority, path, null, token.reason());
        }
        Optional<JwtRequirement> required = mesh.jwtRequirement(self.namespace(), self.labels(), path.path());
        if (required.isPresent() && (token.status() != JwtResult.Status.VALID
                || !required.get().issuers().contains(token.issuer()))) {
            return unauthenticated(debug, authority, path, required.get().policy(),
                    (token.status() == JwtResult.Status.VALID ? "Jwt issuer is not accepted" : "Jwt is missing")
                            + " (legacy Policy " + required.get().policy() + " requires a token of "
                            + String.join(", ", required.get().issuers()) + ")");
        }
        PathNormalizer.Normalized forwarded = new PathNormalizer.Normalized(path.path(),
                TokenForwarding.apply(rules, token, headers, path.query()));
        AuthzRequest request = request(mesh, peer, sourceIp, authority, method, path, headers, token.claims());
        Optional<CustomAuthorization> custom = mesh.customAuthorization(self.namespace(), self.labels(), request);
        String checked = "";
        if (custom.isPresent()) {
            ExternalAuthorizer.Result result = external.check(custom.get(), method, forwarded.pathAndQuery(), headers);
            if (!result.allowed()) {
                Map<String, String> answer = new LinkedHashMap<>(result.downstreamHeaders());
                if (debug) {
                    answer.put(OperatorHeader.AUTHZ, OperatorHeader.value(false, custom.get().policy(), null,
                            result.reason()));
                }
                return new AuthzVerdict(result.status(), result.body(), path.pathAndQuery(), custom.get().policy(), null,
                        result.reason(), answer);
            }
            result.upstreamHeaders().forEach((name, value) -> headers.put(name, List.of(value)));
            checked = result.reason() + "; ";
            // the DENY/ALLOW policies see the request as the authorizer left it (Envoy's filter order)
            request = new AuthzRequest(request.sourcePrincipal(), request.sourceNamespace(), sourceIp, request.host(),
                    method, request.path(), request.port(), headers, request.claims());
        }
        AuthorizationDecision decision = mesh.authorize(self.namespace(), self.labels(), request);
        String rule = decision.rule() == null ? null : decision.rule().toString();
        String reason = decision.legacySource() == null ? decision.reason()
                : decision.reason() + " (converted from " + decision.legacySource() + ")";
        if (decision.allowed()) {
            String allowed = checked + reason;
            return new AuthzVerdict(0, "", forwarded.pathAndQuery(), decision.policy(), rule, allowed,
                    debug ? Map.of(OperatorHeader.AUTHZ, OperatorHeader.value(true, decision.policy(), rule, allowed))
                            : Map.of());
        }
        return answer(debug, 403, DENIED, path.pathAndQuery(), decision.policy(), rule, reason);
    }

    /**
     * Whether {@link #check} of this request may block: the workload has RequestAuthentication rules (a JWKS may be
     * fetched) or a CUSTOM policy applies to it (the external authorizer is asked). Changes nothing.
     */
    public boolean mayBlock(PeerPrincipal peer, @Nullable String sourceIp, String method, String authority,
            String pathAndQuery, Map<String, List<String>> headers) {
        MeshSnapshot mesh = snapshot.get();
        if (mesh == null) {
            return false;
        }
        if (!mesh.jwtRules(self.namespace(), self.labels()).isEmpty()) {
            return true;
        }
        PathNormalizer.Normalized path = PathNormalizer.normalize(pathAndQuery, mesh.pathNormalization());
        return path != null && mesh.customAuthorization(self.namespace(), self.labels(),
                request(mesh, peer, sourceIp, authority, method, path, headers, Map.of())).isPresent();
    }

    private AuthzRequest request(MeshSnapshot mesh, PeerPrincipal peer, @Nullable String sourceIp, String authority,
            String method, PathNormalizer.Normalized path, Map<String, List<String>> headers,
            Map<String, Object> claims) {
        SpiffeId id = peer.spiffeId();
        return new AuthzRequest(peer.principal(), id == null ? null : id.namespace(), sourceIp, hostOf(authority),
                method, path.path(), port.of(mesh), headers, claims);
    }

    private static AuthzVerdict answer(boolean debug, int status, String body, String pathAndQuery,
            @Nullable String policy, @Nullable String reason) {
        return answer(debug, status, body, pathAndQuery, policy, null, reason);
    }

    private static AuthzVerdict answer(boolean debug, int status, String body, String pathAndQuery,
            @Nullable String policy, @Nullable String rule, @Nullable String reason) {
        return new AuthzVerdict(status, body, pathAndQuery, policy, rule, reason,
                debug ? Map.of(OperatorHeader.AUTHZ, OperatorHeader.value(false, policy, rule, reason)) : Map.of());
    }

    /** 401 as Envoy's jwt_authn answers it: {@code www-authenticate: Bearer realm="http://<authority><path>"}. */
    private static AuthzVerdict unauthenticated(boolean debug, String authority, PathNormalizer.Normalized path,
            @Nullable String policy, @Nullable String reason) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("www-authenticate", "Bearer realm=\"http://" + authority.replace("\"", "") + path.path()
                .replace("\"", "%22") + "\"");
        if (debug) {
            headers.put(OperatorHeader.AUTHZ, OperatorHeader.value(false, policy, null, reason));
        }
        return new AuthzVerdict(401, JWT_FAILED, path.pathAndQuery(), policy, null, reason, headers);
    }

    /** {@code host:port} without the port, lower case; IPv6 literals keep their brackets. */
    static String hostOf(String authority) {
        return Authorities.hostOf(authority.trim()).toLowerCase(Locale.ROOT);
    }
}
