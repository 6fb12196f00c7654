package dev.meshpilot.proxy.jwt;

import dev.meshpilot.policy.security.JwtRule;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Finds tokens where the rules say (headers with an optional prefix, query parameters). */
final class TokenLocations {

    private TokenLocations() {}

    /** Every distinct token, in rule order, with the rules that read it from where it was found. */
    static List<JwtAuthenticator.FoundToken> find(List<JwtRule> rules, Map<String, List<String>> rawHeaders,
            @Nullable String rawQuery) {
        Map<String, List<String>> headers = JwtAuthenticator.caseInsensitive(rawHeaders);
        Map<String, List<String>> params = parseQuery(rawQuery);
        Map<String, List<JwtRule>> found = new LinkedHashMap<>();
        for (JwtRule rule : rules) {
            for (JwtRule.TokenHeader location : rule.tokenHeaders()) {
                for (String value : headers.getOrDefault(location.name(), List.of())) {
                    String token = strip(value, location.prefix());
                    if (token != null) {
                        add(found, token, rule);
                    }
                }
            }
            for (String param : rule.tokenParams()) {
                for (String value : params.getOrDefault(param, List.of())) {
                    if (!value.isBlank()) {
                        add(found, value.trim(), rule);
                    }
                }
            }
        }
        List<JwtAuthenticator.FoundToken> out = new ArrayList<>();
        found.forEach((token, r) -> out.add(new JwtAuthenticator.FoundToken(token, List.copyOf(r))));
        return out;
    }

    private static void add(Map<String, List<JwtRule>> found, String token, JwtRule rule) {
        List<JwtRule> list = found.computeIfAbsent(token, t -> new ArrayList<>());
        if (!list.contains(rule)) {
            list.add(rule);
        }
    }

    /** The token after {@code prefix} (case-insensitive), null when the value does not carry one. */
    static @Nullable String strip(String value, @Nullable String prefix) {
        String v = value.trim();
        if (prefix != null && !prefix.isEmpty()) {
            String p = prefix.trim();
            if (!v.regionMatches(true, 0, p, 0, p.length())) {
                return null;
            }
            v = v.substring(p.length()).trim();
        }
        return v.isEmpty() ? null : v;
    }

    static Map<String, List<String>> parseQuery(@Nullable String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                // a malformed escape is not a token location; the parameter is ignored
            }
        }
        return out;
    }
}
