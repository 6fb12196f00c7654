package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.internal.Sec.RequestAuthenticationDef;
import dev.meshpilot.policy.security.JwtRule;
import dev.meshpilot.policy.security.JwtRule.ClaimToHeader;
import dev.meshpilot.policy.security.JwtRule.TokenHeader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Parses RequestAuthentication (security.istio.io v1beta1/v1): every jwtRule with its token locations, keys
 * (inline {@code jwks} or {@code jwksUri}) and outputs. Bad values are {@code MP0103} errors at their line.
 */
final class RequestAuthenticationParser {
    /** RFC 9110 token characters: what Envoy accepts as a header name. */
    private static final Pattern HEADER_NAME = Pattern.compile("[-!#$%&'*+.^_`|~0-9a-zA-Z]+");

    private RequestAuthenticationParser() {}

    static @Nullable RequestAuthenticationDef parse(Fields f) {
        MappingNode spec = f.map(f.resource().node(), "spec", "spec", false);
        List<JwtRule> rules = new ArrayList<>();
        List<Node> items = spec == null ? List.of() : f.list(spec, "jwtRules", "spec.jwtRules", false);
        for (int i = 0; i < items.size(); i++) {
            JwtRule rule = rule(f, items.get(i), "spec.jwtRules[" + i + "]");
            if (rule != null) {
                rules.add(rule);
            }
        }
        MappingNode sel = spec == null ? null : f.map(spec, "selector", "spec.selector", false);
        Map<String, String> selector = sel == null ? null : f.stringMap(sel, "matchLabels", "spec.selector.matchLabels");
        return new RequestAuthenticationDef(f.resource(), selector, List.copyOf(rules));
    }

    private static @Nullable JwtRule rule(Fields f, Node item, String p) {
        String issuer = f.str(item, "issuer", p + ".issuer", true);
        String jwksUri = f.str(item, "jwksUri", p + ".jwksUri", false);
        if (jwksUri != null && !isHttpUrl(jwksUri)) {
            f.error("MP0103", Nodes.get(item, "jwksUri"), p + ".jwksUri",
                    "jwksUri: " + jwksUri + " (expected: an http:// or https:// URL with a host)");
        }
        String jwks = f.str(item, "jwks", p + ".jwks", false);
        if (jwks != null && !isKeySet(jwks)) {
            f.error("MP0103", Nodes.get(item, "jwks"), p + ".jwks", "jwks is not a JSON Web Key Set (expected: a JSON "
                    + "object with a \"keys\" list, as served at a jwksUri); every token of this issuer would fail");
        }
        Boolean forward = f.bool(item, "forwardOriginalToken", p + ".forwardOriginalToken");
        String payloadHeader = f.str(item, "outputPayloadToHeader", p + ".outputPayloadToHeader", false);
        if (payloadHeader != null && !HEADER_NAME.matcher(payloadHeader).matches()) {
            f.error("MP0103", Nodes.get(item, "outputPayloadToHeader"), p + ".outputPayloadToHeader",
                    "outputPayloadToHeader: \"" + payloadHeader + "\" (expected: a header name such as x-jwt-payload)");
            payloadHeader = null;
        }
        List<ClaimToHeader> claims = claimHeaders(f, item, p);
        if (issuer == null) {
            return null;
        }
        return new JwtRule(f.resource().key(), issuer, jwksUri, f.strings(item, "audiences", p + ".audiences"),
                fromHeaders(f, item, p), f.strings(item, "fromParams", p + ".fromParams"), jwks,
                forward != null && forward, payloadHeader, claims);
    }

    private static List<ClaimToHeader> claimHeaders(Fields f, Node item, String path) {
        List<ClaimToHeader> out = new ArrayList<>();
        List<Node> items = f.list(item, "outputClaimToHeaders", path + ".outputClaimToHeaders", false);
        for (int i = 0; i < items.size(); i++) {
            String p = path + ".outputClaimToHeaders[" + i + "]";
            String header = f.str(items.get(i), "header", p + ".header", true);
            String claim = f.str(items.get(i), "claim", p + ".claim", true);
            if (header != null && !HEADER_NAME.matcher(header).matches()) {
                f.error("MP0103", Nodes.get(items.get(i), "header"), p + ".header",
                        "header: \"" + header + "\" (expected: a header name such as x-jwt-claim-sub)");
                continue;
            }
            if (claim != null && claim.isBlank()) {
                f.error("MP0103", Nodes.get(items.get(i), "claim"), p + ".claim", "claim is empty (expected: a claim name such as sub)");
                continue;
            }
            if (header != null && claim != null) {
                out.add(new ClaimToHeader(header, claim));
            }
        }
        return out;
    }

    private static List<TokenHeader> fromHeaders(Fields f, Node rule, String path) {
        List<TokenHeader> out = new ArrayList<>();
        List<Node> items = f.list(rule, "fromHeaders", path + ".fromHeaders", false);
        for (int i = 0; i < items.size(); i++) {
            String p = path + ".fromHeaders[" + i + "]";
            String name = f.str(items.get(i), "name", p + ".name", true);
            if (name != null) {
                out.add(new TokenHeader(name, f.str(items.get(i), "prefix", p + ".prefix", false)));
            }
        }
        return out;
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI uri = new URI(s);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static boolean isKeySet(String json) {
        if (!json.strip().startsWith("{")) {
            return false;
        }
        try {
            Object doc = new Load(LoadSettings.builder().build()).loadFromString(json);
            return doc instanceof Map<?, ?> m && m.get("keys") instanceof List<?>;
        } catch (YamlEngineException | ClassCastException e) {
            return false;
        }
    }
}
