package dev.meshpilot.proxy.echo;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The RSA 2048 signing key of the echo's auth service ({@code kid} {@code mykey}, RS256), generated on first use.
 * The tutorial mounts one key per Deployment, so {@link #forDeployment} shares one instance among all pods of a
 * Deployment for the life of this JVM.
 */
public final class EchoKeys {

    /** The key id of the tutorial's key. */
    public static final String KEY_ID = "mykey";

    private static final ConcurrentMap<String, EchoKeys> BY_DEPLOYMENT = new ConcurrentHashMap<>();

    private volatile @Nullable RSAKey key;

    private EchoKeys() {}

    /** A key of its own (used by an echo started outside a fleet). */
    public static EchoKeys generate() {
        return new EchoKeys();
    }

    /** The key shared by every instance of {@code namespace/deployment}. */
    public static EchoKeys forDeployment(String namespace, String deployment) {
        requireNonNull(namespace, "namespace");
        requireNonNull(deployment, "deployment");
        return BY_DEPLOYMENT.computeIfAbsent(namespace + "/" + deployment, k -> new EchoKeys());
    }

    /** The key pair (private part included), generated on first call. */
    public RSAKey rsaKey() {
        RSAKey k = key;
        if (k == null) {
            synchronized (this) {
                k = key;
                if (k == null) {
                    try {
                        k = new RSAKeyGenerator(2048).keyID(KEY_ID).keyUse(KeyUse.SIGNATURE)
                                .algorithm(JWSAlgorithm.RS256).generate();
                    } catch (JOSEException e) {
                        throw new IllegalStateException("RSA 2048 key generation failed", e);
                    }
                    key = k;
                }
            }
        }
        return k;
    }

    /** The public JWK set as served at {@code /.well-known/jwks.json}. */
    public String publicJwksJson() {
        return new JWKSet(rsaKey().toPublicJWK()).toString(true);
    }
}
