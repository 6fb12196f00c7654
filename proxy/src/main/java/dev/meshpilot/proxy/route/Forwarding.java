package dev.meshpilot.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.policy.route.RetryPolicy;
import dev.meshpilot.policy.route.RouteDecision;
import dev.meshpilot.policy.route.TrafficPolicy.OutlierDetection;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.identity.SpiffeId;
import dev.meshpilot.proxy.internal.Exchanges;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tries of one request to one cluster, with the route's timeout and retries: each try goes to an endpoint not
 * tried yet, its outcome feeds outlier detection, and the last answer (or the failure) goes downstream.
 * {@link #run} makes the tries on the calling (virtual) thread; {@link #runAsync} makes plaintext tries on the
 * exchange's I/O thread without blocking, and hands the rest to {@link Tries#blocking} at the first try that needs
 * TLS (mutual or originated) or a name lookup (mutual TLS on the I/O thread stalled some exchanges under load: not
 * used yet).
 */
final class Forwarding {

    /** Istio's default retry policy, when a route sets none, makes two retries (see {@link RouteRules}). */
    private static final int DEFAULT_CONNECT_RETRIES = 2;
    private static final Duration NO_TIMEOUT_CAP = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

    /** What the tries need of the routing handler. */
    interface Tries {
        UpstreamClient upstream();

        RoundRobin roundRobin();

        OutlierDetector outliers();

        /** The proxy making the tries (named in the log line of a failed TLS origination). */
        ProxyRef self();

        /** Called after {@code endpoint} was ejected from {@code cluster}. */
        void ejected(Endpoint endpoint, String cluster);

        /** Continues {@code forwarding} on a thread that may block, then runs {@code done}. */
        void blocking(HttpServerExchange exchange, Forwarding forwarding, Runnable done);
    }

    private final Tries owner;
    private final HttpServerExchange exchange;
    private final Attempt a;
    private final RouteDecision decision;
    private final List<Endpoint> cluster;
    private final List<Endpoint> endpoints;
    private final @Nullable OutlierDetection outlier;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final boolean external;
    private final @Nullable RetryPolicy retries;
    private final int tries;
    private final long deadline;
    private final Set<String> tried = new HashSet<>(4);
    private int status = 502;
    private String flags = "UF";
    private String message = "upstream connect failure";
    private int attempt;
    private Duration perTry = NO_TIMEOUT_CAP;
    private @Nullable Endpoint endpoint;
    /** {@link #next} chose the endpoint of a try not made yet. */
    private boolean prepared;

    /** {@code outlier} null for hosts outside the mesh; {@code start} when the request arrived (nanoTime). */
    Forwarding(Tries owner, HttpServerExchange exchange, Attempt a, RouteDecision decision, List<Endpoint> cluster,
            @Nullable OutlierDetection outlier, Map<String, List<String>> headers, byte[] body, long start) {
        this.owner = owner;
        this.exchange = exchange;
        this.a = a;
        this.decision = decision;
        this.cluster = cluster;
        this.outlier = outlier;
        this.headers = headers;
        this.body = body;
        this.external = cluster.get(0).namespace().equals(ExternalHosts.EXTERNAL);
        this.endpoints = outlier == null ? cluster : owner.outliers().healthy(requireNonNull(a.cluster), cluster);
        if (external) {
            PeerMetadata.HEADERS.forEach(headers::remove);
        }
        this.retries = decision.retries();
        this.tries = 1 + (retries != null ? retries.attempts() : DEFAULT_CONNECT_RETRIES);
        this.deadline = decision.timeout() == null ? Long.MAX_VALUE : start + decision.timeout().toNanos();
    }

    /** Every remaining try on the calling thread, then the answer. */
    void run() throws InterruptedException {
        while (prepared || next()) {
            prepared = false;
            Endpoint e = requireNonNull(endpoint);
            if (done(owner.upstream().sendTry(e.inbound(), a.origination, peers(e), a.method, a.authority, a.path,
                    headers, body, perTry, external))) {
                return;
            }
        }
        fail();
    }

    /**
     * On the exchange's I/O thread: the tries without blocking while they are plaintext to resolved addresses, then
     * the answer and {@code done}; a try that needs TLS (mutual or originated) or a name lookup continues on
     * {@link Tries#blocking}.
     */
    void runAsync(Runnable done) {
        if (!next()) {
            fail();
            done.run();
            return;
        }
        Endpoint e = requireNonNull(endpoint);
        if (peers(e) != null || a.origination != null || e.inbound().isUnresolved()) {
            prepared = true; // this try, on a thread that may block
            owner.blocking(exchange, this, done);
            return;
        }
        owner.upstream().sendAsync(exchange.getIoThread(), e.inbound(), a.method, a.authority, a.path, headers, body,
                perTry, external, outcome -> {
                    try {
                        if (done(outcome)) {
                            done.run();
                        } else {
                            runAsync(done);
                        }
                    } catch (RuntimeException | Error failure) { // answered rather than left hanging
                        LOG.error("proxy: request failed", failure);
                        Exchanges.text(exchange, 500, "proxy internal error: " + failure);
                    }
                });
    }

    private @Nullable Set<SpiffeId> peers(Endpoint e) {
        return a.tls == null ? null : a.tls.peersFor(e);
    }

    /** Prepares the next try; false when none is left (the route's timeout may have passed). */
    private boolean next() {
        if (attempt >= tries) {
            return false;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            status = 504;
            flags = "UT";
            message = "upstream request timeout after " + decision.timeout();
            return false;
        }
        perTry = Duration.ofNanos(Math.min(remaining, NO_TIMEOUT_CAP.toNanos()));
        if (retries != null && retries.perTryTimeout() != null && retries.perTryTimeout().compareTo(perTry) < 0) {
            perTry = retries.perTryTimeout();
        }
        Endpoint e = a.balancer != null ? a.balancer.pick(endpoints, tried)
                : owner.roundRobin().next(a.cluster, endpoints, tried);
        tried.add(requireNonNull(e, "endpoint").id());
        endpoint = e;
        a.endpoint = external ? null : e;
        a.upstreamHost = e.hostPort();
        a.peerIdentity = external ? null : SourceMetrics.principal(e.namespace(), e.serviceAccount());
        return true;
    }

    /** Takes the outcome of the current try: true when it was answered downstream. */
    private boolean done(UpstreamClient.Outcome outcome) {
        Endpoint e = requireNonNull(endpoint);
        a.transportFailure = outcome.transportFailure();
        boolean last = attempt == tries - 1;
        if (outlier != null && owner.outliers().record(requireNonNull(a.cluster), e, cluster,
                outcome.failure() == UpstreamClient.Failure.NONE ? outcome.response().statusCode() : 0, outlier)) {
            owner.ejected(e, a.cluster);
        }
        switch (outcome.failure()) {
            case NONE -> {
                int code = outcome.response().statusCode();
                if (last || !RouteRules.retriable(code, retries)) {
                    a.status = code;
                    a.flags = attempt > 0 && code >= 500 ? "URX" : "-";
                    a.bytesSent = Exchanges.relay(exchange, outcome.response());
                    return true;
                }
                status = code;
                flags = "URX";
                message = "upstream answered " + code;
            }
            case TIMEOUT -> {
                status = 504;
                flags = "UT";
                message = "upstream request timeout after " + perTry.toMillis() + " ms at " + e.id();
                if (!RouteRules.retriable(outcome.failure(), retries)) {
                    attempt = tries;
                }
            }
            case CONNECT, RESET -> {
                status = outcome.transportFailure() != null ? 503 : 502;
                flags = "UF";
                message = outcome.failureMessage(e.id());
                if (!RouteRules.retriable(outcome.failure(), retries)) {
                    attempt = tries;
                }
            }
        }
        attempt++;
        return false;
    }

    /** Answers with the last failure. */
    private void fail() {
        RequestReport.warnTransportFailure(owner.self(), a);
        a.fail(exchange, status, tried.size() > 1 && !flags.equals("UT") ? flags + ",URX" : flags, message);
    }
}
