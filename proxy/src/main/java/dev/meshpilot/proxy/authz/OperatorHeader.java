package dev.meshpilot.proxy.authz;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The operator's "why": a request carrying {@code x-meshpilot-debug: <operator token>} gets
 * {@code x-meshpilot-authz: <ALLOW|DENY> policy=<ns/name|none> rule=<n|-> reason=<...>}. The token is compared in
 * constant time; without a configured token the feature is off. The debug header never reaches the workload.
 */
public final class OperatorHeader {

    /** The request header that carries the operator token. */
    public static final String DEBUG = "x-meshpilot-debug";
    /** The response header that says why. */
    public static final String AUTHZ = "x-meshpilot-authz";

    private final byte @Nullable [] token;

    /** @param token the mesh's operator token, null or blank to switch the feature off */
    public OperatorHeader(@Nullable String token) {
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether one of {@code values} (the request's debug header) is the operator token. */
    public boolean matches(@Nullable List<String> values) {
        byte[] expected = token;
        if (expected == null || values == null) {
            return false;
        }
        boolean match = false;
        for (String value : values) {
            match |= MessageDigest.isEqual(expected, value.trim().getBytes(StandardCharsets.UTF_8));
        }
        return match;
    }

    /** The header value; control characters in {@code reason} become spaces. */
    public static String value(boolean allowed, @Nullable String policy, @Nullable String rule, @Nullable String reason) {
        String text = (allowed ? "ALLOW" : "DENY") + " policy=" + (policy == null ? "none" : policy) + " rule="
                + (rule == null ? "-" : rule) + " reason=" + (reason == null ? "-" : reason);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c > 0xff ? ' ' : c);
        }
        return out.toString();
    }
}
