package dev.meshpilot.console.ca;

import static dev.meshpilot.console.ca.IstioCaSecrets.NAMESPACE;
import static dev.meshpilot.console.ca.IstioCaSecrets.ROOT_SECRET;
import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.CaCerts;
import dev.meshpilot.proxy.identity.RootPem;
import dev.meshpilot.proxy.identity.RootStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Optional;

/**
 * The mesh root in Secret {@code istio-system/istio-ca-secret} like istiod's self-signed CA: type
 * {@code istio.io/ca-root}, keys {@code ca-cert.pem} and {@code ca-key.pem} (encrypted as on disk when a
 * key-encryption password is set, else plain PKCS#8 as Istio keeps it). Creation is race-safe: when another console
 * created the Secret first (409 Conflict), its root is read back and used.
 */
public final class SecretRootStore implements RootStore {

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
