package dev.meshpilot.proxy.authz;

import dev.meshpilot.policy.security.JwtRule;
import dev.meshpilot.proxy.jwt.JwtResult;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * What of a verified token the workload gets (RequestAuthentication semantics): the token leaves the header or query
 * parameter it came from unless the verifying rule says {@code forwardOriginalToken: true}; {@code
 * outputPayloadToHeader} gets the base64url payload and {@code outputClaimToHeaders} the named claims. Headers that
 * a rule fills are first removed from what the client sent, so a client can never supply them itself.
 */
final class TokenForwarding {

    private TokenForwarding() {}

    /**
     * Applies the rules to {@code headers} (mutable, lower-case names) and returns the query to forward.
     *
     * @param rawQuery the query without {@code ?}, null when there is none
     */
    static @Nullable String apply(List<JwtRule> rules, JwtResult token, Map<String, List<String>> headers,
            @Nullable String rawQuery) {
        for (JwtRule rule : rules) {
            if (rule.outputPayloadToHeader() != null) {
                headers.remove(rule.outputPayloadToHeader().toLowerCase(Locale.ROOT));
            }
            rule.outputClaimToHeaders().forEach(c -> headers.remove(c.header()));
        }
        JwtRule verifier = token.rule();
        if (token.status() != JwtResult.Status.VALID || verifier == null) {
            return rawQuery;
        }
        String query = rawQuery;
        if (!verifier.forwardOriginalToken()) {
            stripHeaders(verifier, headers);
            query = withoutParams(rawQuery, verifier.tokenParams());
        }
        if (verifier.outputPayloadToHeader() != null && token.payload() != null) {
            headers.put(verifier.outputPayloadToHeader().toLowerCase(Locale.ROOT), List.of(token.payload()));
        }
        for (JwtRule.ClaimToHeader c : verifier.outputClaimToHeaders()) {
            Object value = token.claims().get(c.claim());
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                headers.put(c.header(), List.of(String.valueOf(value)));
            }
        }
        return query;
    }

    /** Removes the header values that carry a token where {@code rule} reads one. */
    private static void stripHeaders(JwtRule rule, Map<String, List<String>> headers) {
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

    private static boolean carriesToken(String value, @Nullable String prefix) {
        String v = value.trim();
        if (prefix == null || prefix.isBlank()) {
            return !v.isEmpty();
        }
        String p = prefix.trim();
        return v.regionMatches(true, 0, p, 0, p.length()) && !v.substring(p.length()).isBlank();
    }

    /** {@code rawQuery} without the parameters named {@code names}; null when nothing is left. */
    static @Nullable String withoutParams(@Nullable String rawQuery, Collection<String> names) {
        if (rawQuery == null || names.isEmpty()) {
            return rawQuery;
        }
        StringJoiner kept = new StringJoiner("&");
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String decoded;
            try {
                decoded = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = name;
            }
            if (!names.contains(decoded)) {
                kept.add(pair);
            }
        }
        return kept.length() == 0 ? null : kept.toString();
    }
}
