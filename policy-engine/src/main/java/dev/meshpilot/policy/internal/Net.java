package dev.meshpilot.policy.internal;

import dev.meshpilot.policy.route.RetryPolicy;
import dev.meshpilot.policy.route.RouteDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The parsed networking.istio.io resources, with hosts already resolved to FQDNs where Istio does. */
public final class Net {
    private Net() {}

    public enum MatchType { EXACT, PREFIX, REGEX }

    /** Istio's StringMatch; a regex is a full match (RE2 semantics approximated by java.util.regex). */
    public record StringMatch(MatchType type, String value, @Nullable Pattern regex) {
        public boolean test(@Nullable String s) {
            if (s == null) {
                return false;
            }
            return switch (type) {
                case EXACT -> s.equals(value);
                case PREFIX -> s.startsWith(value);
                case REGEX -> regex != null && regex.matcher(s).matches();
            };
        }

        public StringMatch lowerCase() {
            return type == MatchType.REGEX ? this : new StringMatch(type, value.toLowerCase(java.util.Locale.ROOT), null);
        }
    }

    /** One HTTPMatchRequest: every condition that is present must hold. */
    public record HttpMatch(@Nullable String name, @Nullable StringMatch uri, boolean ignoreUriCase,
            @Nullable StringMatch scheme, @Nullable StringMatch method, @Nullable StringMatch authority,
            Map<String, StringMatch> headers, Map<String, StringMatch> withoutHeaders,
            Map<String, StringMatch> queryParams, int port, Map<String, String> sourceLabels,
            @Nullable String sourceNamespace, List<String> gateways) {}

    /** One route destination as written. {@code host} is an FQDN (short names resolved in the VS's namespace). */
    public record HttpDest(String host, @Nullable String subset, @Nullable Integer port, @Nullable Integer weight,
            int line, String field) {}

    /**
     * One http rule with the decision it yields, built once at compile time: {@code decision} (with the public
     * {@code extras()}) for a rule without match blocks, {@code blockDecisions.get(i)} when block {@code i} matched (the
     * same decision with that block's {@code matchedPrefix}).
     */
    public record HttpRule(int index, @Nullable String name, List<HttpMatch> matches, List<HttpDest> route,
            @Nullable Duration timeout, @Nullable RetryPolicy retries, RouteDecision decision,
            List<RouteDecision> blockDecisions) {
        public HttpRule {
            matches = List.copyOf(matches);
            blockDecisions = List.copyOf(blockDecisions);
            if (blockDecisions.size() != matches.size()) {
                throw new IllegalArgumentException("blockDecisions: " + blockDecisions.size() + " (expected: "
                        + matches.size() + ", one per match block)");
            }
        }
    }

    /** A tls or tcp route: matched by port and SNI. */
    public record L4Rule(int index, List<Integer> ports, List<String> sniHosts, List<HttpDest> route,
            RouteDecision decision) {
        /** Whether a connection to {@code port} with this SNI ({@code null} for plain TCP) matches. */
        public boolean matches(int port, @Nullable String sni) {
            if (!ports.isEmpty() && port != 0 && !ports.contains(port)) {
                return false;
            }
            if (sniHosts.isEmpty()) {
                return true;
            }
            return sni != null && sniHosts.stream().anyMatch(h -> Hosts.matches(h.toLowerCase(java.util.Locale.ROOT), sni));
        }
    }

    public record VirtualServiceDef(Resource src, List<String> hosts, List<String> gateways, boolean mesh,
            List<String> exportTo, List<HttpRule> http, List<L4Rule> tls, List<L4Rule> tcp) {
        public String key() {
            return src.key();
        }
    }

    public record ServerDef(int port, String protocol, List<String> hosts, int line) {}

    /** A Gateway: {@code servers} for routing, {@code view} the same servers (with tls) as the public model. */
    public record GatewayDef(Resource src, Map<String, String> selector, List<ServerDef> servers,
            List<dev.meshpilot.policy.route.GatewayServer> view) {}

    public record SubsetDef(String name, Map<String, String> labels, TrafficPolicyParser.Parsed policy, int line) {}

    public record DestinationRuleDef(Resource src, String host, Map<String, SubsetDef> subsets, List<String> exportTo,
            TrafficPolicyParser.Parsed policy) {}

    public record ServiceEntryDef(Resource src, List<String> hosts, List<Integer> ports, List<String> exportTo,
            dev.meshpilot.policy.route.ExternalService details) {}
}
