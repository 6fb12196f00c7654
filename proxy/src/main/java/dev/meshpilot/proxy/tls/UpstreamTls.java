package dev.meshpilot.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.MeshSnapshot;
import dev.meshpilot.policy.security.MtlsMode;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.identity.SpiffeId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The client side of a proxy's mutual TLS: decides per destination, as Istio does, whether its endpoints get mutual
 * TLS ({@link #decide}) and gives the client TLS context per set of expected server identities ({@link #context}).
 * The contexts' key manager always serves the proxy's current certificate, so a rotation needs no new context.
 */
public final class UpstreamTls {

    /**
     * The endpoint label Istio's injector puts on pods with a sidecar ({@code istio}); auto mTLS sends mutual TLS only
     * to endpoints that carry it.
     */
    public static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";
    public static final String ISTIO = "istio";

    /** Cached decisions per snapshot before the cache starts over. */
    private static final int MAX_CACHED = 4096;

    private final ProxyIdentity identity;
    private volatile Generation generation = new Generation(null, new ConcurrentHashMap<>());

    private record Generation(@Nullable MeshSnapshot snapshot, ConcurrentMap<Key, ClientTls> decisions) {}

    /** A destination as one proxy reaches it; the endpoint list is compared by identity (the registry caches it). */
    private record Key(String clientNamespace, String host, @Nullable String subset, int port, int targetPort,
            List<Endpoint> cluster) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.cluster == cluster && k.port == port && k.targetPort == targetPort
                    && k.host.equals(host) && k.clientNamespace.equals(clientNamespace)
                    && java.util.Objects.equals(k.subset, subset);
        }

        @Override
        public int hashCode() {
            return (host.hashCode() * 31 + port) * 31 + System.identityHashCode(cluster);
        }
    }

    public UpstreamTls(ProxyIdentity identity) {
        this.identity = requireNonNull(identity, "identity");
    }

    /** {@code labels} plus {@value #TLS_MODE_LABEL}: {@value #ISTIO}, as the injector labels a pod with a sidecar. */
    public static Map<String, String> withSidecarLabel(Map<String, String> labels) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(TLS_MODE_LABEL, ISTIO);
        return Map.copyOf(all);
    }

    public ProxyIdentity identity() {
        return identity;
    }

    /**
     * Istio's client TLS for a destination: the DestinationRule's {@code tls.mode} a client in {@code clientNamespace}
     * sees for (host, subset, port); without one, auto mTLS: mutual TLS to endpoints with a sidecar (labelled
     * {@value #TLS_MODE_LABEL}: {@value #ISTIO}) whose mode for {@code targetPort} is not DISABLE, plaintext to the
     * others. The expected identities are the service accounts of
     * {@code cluster} (the endpoints the destination selects).
     */
    public ClientTls decide(MeshSnapshot snapshot, String clientNamespace, String host, @Nullable String subset,
            int port, int targetPort, List<Endpoint> cluster) {
        requireNonNull(snapshot, "snapshot");
        Generation now = generation;
        if (now.snapshot() != snapshot) {
            now = new Generation(snapshot, new ConcurrentHashMap<>());
            generation = now;
        }
        Key key = new Key(clientNamespace, host, subset, port, targetPort, cluster);
        ClientTls known = now.decisions().get(key);
        if (known != null) {
            return known;
        }
        ClientTls decided = compute(snapshot, key);
        if (now.decisions().size() >= MAX_CACHED) {
            now.decisions().clear();
        }
        now.decisions().put(key, decided);
        return decided;
    }

    private ClientTls compute(MeshSnapshot snapshot, Key key) {
        String mode = snapshot.trafficPolicy(key.clientNamespace(), key.host(), key.subset(), key.port()).tlsMode();
        Set<SpiffeId> peers = new HashSet<>();
        String trustDomain = identity.id().trustDomain();
        key.cluster().forEach(e -> peers.add(new SpiffeId(trustDomain, e.namespace(), e.serviceAccount())));
        if (mode != null) {
            return new ClientTls(mode, peers, Set.of());
        }
        Set<String> mutual = new HashSet<>();
        for (Endpoint e : key.cluster()) {
            if (ISTIO.equals(e.labels().get(TLS_MODE_LABEL))
                    && snapshot.mtlsMode(e.namespace(), e.labels(), key.targetPort()) != MtlsMode.DISABLE) {
                mutual.add(e.id());
            }
        }
        return new ClientTls(ClientTls.AUTO, peers, mutual);
    }

    /**
     * The client context that presents this proxy's certificate and accepts only a server proving one of
     * {@code peers} ({@link ProxyIdentity#clientContext}); a new one when the trust bundle changed.
     */
    public SSLContext context(Set<SpiffeId> peers) {
        return identity.clientContext(requireNonNull(peers, "peers"));
    }
}
