package dev.meshpilot.console.ca;

import static dev.meshpilot.console.ca.IstioCaSecrets.NAMESPACE;
import static dev.meshpilot.console.ca.IstioCaSecrets.ROOT_SECRET;
import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.CaCerts;
import dev.meshpilot.proxy.identity.RootPem;
import dev.meshpilot.proxy.identity.RootStore;
import dev.meshpilot.proxy.identity.RotationPem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The mesh root in Secret {@code istio-system/istio-ca-secret} like istiod's self-signed CA: type
 * {@code istio.io/ca-root}, keys {@code ca-cert.pem} and {@code ca-key.pem} (encrypted as on disk when a
 * key-encryption password is set, else plain PKCS#8 as Istio keeps it). Creation is race-safe: when another console
 * created the Secret first (409 Conflict), its root is read back and used. During a root rotation the Secret also holds
 * {@code previous-ca-cert.pem} and two {@code meshpilot.dev/} annotations (start, the previous root's retirement).
 */
public final class SecretRootStore implements RootStore {

    static final String PREVIOUS_CERT = "previous-ca-cert.pem";
    static final String STARTED_AT = "meshpilot.dev/root-rotation-started-at";
    static final String RETIRES_AT = "meshpilot.dev/previous-root-retires-at";

    private final KubernetesClient client;

    public SecretRootStore(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    @Override
    public String location() {
        return "Secret " + NAMESPACE + "/" + ROOT_SECRET;
    }

    @Override
    public String certificateName() {
        return location() + " key " + CaCerts.CA_CERT;
    }

    @Override
    public String keyName() {
        return location() + " key " + CaCerts.CA_KEY;
    }

    @Override
    public Optional<RootPem> load() throws IOException {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(ROOT_SECRET).get();
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> data = IstioCaSecrets.decode(secret);
        String certificate = data.get(CaCerts.CA_CERT);
        String key = data.get(CaCerts.CA_KEY);
        if (certificate == null || key == null) {
            throw new IOException(location() + ": keys " + data.keySet() + " (expected: " + CaCerts.CA_CERT + " and "
                    + CaCerts.CA_KEY + ")");
        }
        return Optional.of(new RootPem(certificate, key));
    }

    @Override
    public RootPem createIfAbsent(RootPem root) throws IOException {
        try {
            client.secrets().inNamespace(NAMESPACE).resource(secret(root)).create();
            return root;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw new IOException("cannot create " + location() + ": " + e.getMessage(), e);
            }
            return load().orElseThrow(() -> new IOException(location() + ": created concurrently, then gone"));
        }
    }

    @Override
    public void replace(RootPem root) throws IOException {
        try {
            client.secrets().inNamespace(NAMESPACE).withName(ROOT_SECRET).edit(current -> new SecretBuilder(current)
                    .withData(data(root)).build());
        } catch (KubernetesClientException e) {
            throw new IOException("cannot replace " + location() + ": " + e.getMessage(), e);
        }
    }

    /** Key {@code previous-ca-cert.pem} and the annotations of the start and the previous root's retirement. */
    @Override
    public Optional<RotationPem> loadRotation() throws IOException {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(ROOT_SECRET).get();
        if (secret == null) {
            return Optional.empty();
        }
        String previous = IstioCaSecrets.decode(secret).get(PREVIOUS_CERT);
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        if (previous == null || annotations == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RotationPem(previous, Instant.parse(annotations.getOrDefault(STARTED_AT, "")),
                    Instant.parse(annotations.getOrDefault(RETIRES_AT, ""))));
        } catch (DateTimeParseException e) {
            throw new IOException(location() + ": annotations " + STARTED_AT + ", " + RETIRES_AT + ": "
                    + e.getMessage() + " (expected: ISO-8601 instants)", e);
        }
    }

    @Override
    public void saveRotation(@Nullable RotationPem rotation) throws IOException {
        try {
            client.secrets().inNamespace(NAMESPACE).withName(ROOT_SECRET).edit(current -> {
                SecretBuilder next = new SecretBuilder(current);
                if (rotation == null) {
                    return next.removeFromData(PREVIOUS_CERT).editMetadata().removeFromAnnotations(STARTED_AT)
                            .removeFromAnnotations(RETIRES_AT).endMetadata().build();
                }
                return next.addToData(PREVIOUS_CERT, IstioCaSecrets.encode(rotation.previousRootPem()))
                        .editMetadata().addToAnnotations(STARTED_AT, rotation.startedAt().toString())
                        .addToAnnotations(RETIRES_AT, rotation.previousRootRetiresAt().toString()).endMetadata()
                        .build();
            });
        } catch (KubernetesClientException e) {
            throw new IOException("cannot keep the root rotation in " + location() + ": " + e.getMessage(), e);
        }
    }

    private static Secret secret(RootPem root) {
        return new SecretBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(ROOT_SECRET).endMetadata()
                .withType(IstioCaSecrets.ROOT_SECRET_TYPE).withData(data(root)).build();
    }

    private static Map<String, String> data(RootPem root) {
        return Map.of(CaCerts.CA_CERT, IstioCaSecrets.encode(root.certificatePem()),
                CaCerts.CA_KEY, IstioCaSecrets.encode(root.keyPem()));
    }

    @Override
    public String toString() {
        return "SecretRootStore[" + location() + "]";
    }
}
