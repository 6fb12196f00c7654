package dev.meshpilot.proxy.route;

import dev.meshpilot.policy.route.ProxyRef;
import dev.meshpilot.proxy.endpoint.Endpoint;
import dev.meshpilot.proxy.internal.BlockingDispatch;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link Forwarding} needs of a routing proxy: its upstream client, round robin and outlier state, its name,
 * and the {@code executor} (virtual threads) where tries that may block continue.
 */
record ClusterTries(UpstreamClient upstream, RoundRobin roundRobin, OutlierDetector outliers, ProxyRef self,
        Executor executor) implements Forwarding.Tries {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingHandler.class);

    @Override
    public void ejected(Endpoint endpoint, String cluster) {
        LOG.info("{}: ejected {} from {} (outlier detection)", RoutingHandler.serviceName(self), endpoint.id(),
                cluster);
    }

    @Override
    public void blocking(HttpServerExchange exchange, Forwarding forwarding, Runnable done) {
        BlockingDispatch.continueBlocking(exchange, executor, "proxy", ex -> {
            forwarding.run();
            done.run();
        });
    }
}
