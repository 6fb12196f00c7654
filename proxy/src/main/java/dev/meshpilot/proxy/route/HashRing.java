package dev.meshpilot.proxy.route;

import dev.meshpilot.proxy.endpoint.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Envoy's ring hash: every endpoint owns {@link #POINTS_PER_ENDPOINT} points on a 64-bit ring (hashes of its id), a
 * key goes to the owner of the first point at or after the key's hash. The same key reaches the same endpoint while
 * the endpoint set is unchanged; when an endpoint leaves, only the keys it owned move.
 */
final class HashRing {

    static final int POINTS_PER_ENDPOINT = 160;

    private final List<Endpoint> endpoints;
    private final long[] points;
    private final int[] owners;

    HashRing(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        int n = this.endpoints.size() * POINTS_PER_ENDPOINT;
        long[][] pairs = new long[n][];
        int i = 0;
        for (int e = 0; e < this.endpoints.size(); e++) {
            for (int p = 0; p < POINTS_PER_ENDPOINT; p++) {
                pairs[i++] = new long[] {hash(this.endpoints.get(e).id() + "_" + p), e};
            }
        }
        Arrays.sort(pairs, (a, b) -> Long.compareUnsigned(a[0], b[0]));
        this.points = new long[n];
        this.owners = new int[n];
        for (int k = 0; k < n; k++) {
            points[k] = pairs[k][0];
            owners[k] = (int) pairs[k][1];
        }
    }

    List<Endpoint> endpoints() {
        return endpoints;
    }

    /** The endpoint for {@code key}, walking on past endpoints in {@code tried}; null for an empty ring. */
    @Nullable Endpoint pick(String key, Set<String> tried) {
        if (points.length == 0) {
            return null;
        }
        long h = hash(key);
        int start = firstAtOrAfter(h);
        for (int k = 0; k < points.length; k++) {
            Endpoint e = endpoints.get(owners[(start + k) % points.length]);
            if (!tried.contains(e.id())) {
                return e;
            }
        }
        return endpoints.get(owners[start]);
    }

    private int firstAtOrAfter(long h) {
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(points[mid], h) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == points.length ? 0 : lo;
    }

    /** FNV-1a over the UTF-8 bytes, finished with MurmurHash3's 64-bit mix for spread. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
