package dev.meshpilot.console.ca;

import dev.meshpilot.proxy.identity.CaCerts;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Istio's names for the CA in a cluster: the self-signed root in Secret {@code istio-system/istio-ca-secret} (type
 * {@code istio.io/ca-root}, keys {@code ca-cert.pem} and {@code ca-key.pem}), a plugged-in CA in Secret
 * {@code istio-system/cacerts} (Istio's four keys), the root published in ConfigMap {@code istio-ca-root-cert}.
 */
final class IstioCaSecrets {

    static final String NAMESPACE = "istio-system";
    static final String ROOT_SECRET = "istio-ca-secret";
    static final String ROOT_SECRET_TYPE = "istio.io/ca-root";
    static final String PLUGGED_SECRET = "cacerts";
    static final String ROOT_CONFIG_MAP = "istio-ca-root-cert";
    static final String ROOT_CONFIG_MAP_KEY = "root-cert.pem";

    private IstioCaSecrets() {}

    /** The plugged-in CA of Secret {@code istio-system/cacerts}, when that Secret exists. */
    static Optional<CaCerts> pluggedIn(KubernetesClient client) {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(PLUGGED_SECRET).get();
        if (secret == null) {
            return Optional.empty();
        }
        return Optional.of(CaCerts.of("Secret " + NAMESPACE + "/" + PLUGGED_SECRET, decode(secret)));
    }

    /** The Secret's {@code data} decoded (base64) and its {@code stringData}, as text. */
    static Map<String, String> decode(Secret secret) {
        Map<String, String> decoded = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> decoded.put(key,
                    new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII)));
        }
        if (secret.getStringData() != null) {
            decoded.putAll(secret.getStringData());
        }
        return decoded;
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
