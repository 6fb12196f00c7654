package dev.meshpilot.proxy.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** A jwtRule's inline {@code jwks}, parsed once per distinct document; only the public parts are kept. */
final class InlineJwks {

    /** Parsed documents start over past this many (a snapshot holds few; a bound keeps memory flat). */
    private static final int MAX_CACHED = 256;
    private static final Map<String, JWKSet> PARSED = new ConcurrentHashMap<>();

    private InlineJwks() {}

    /** The public keys of {@code json}, null when it is not a JSON Web Key Set. */
    static @Nullable JWKSet parse(String json) {
        JWKSet cached = PARSED.get(json);
        if (cached != null) {
            return cached;
        }
        try {
            JWKSet keys = JWKSet.parse(json).toPublicJWKSet();
            if (PARSED.size() >= MAX_CACHED) {
                PARSED.clear();
            }
            PARSED.put(json, keys);
            return keys;
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }
}
