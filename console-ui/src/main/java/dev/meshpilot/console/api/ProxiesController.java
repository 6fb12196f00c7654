package dev.meshpilot.console.api;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.fleet.EmbeddedFleet;
import java.util.Comparator;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/proxies}: every proxy of the embedded fleet (the ingress gateway and one sidecar per instance),
 * the commit it serves and whether that is the latest applied one (Istio's {@code istioctl proxy-status}).
 */
@RestController
@RequestMapping("/api/proxies")
public class ProxiesController {

    static final Comparator<ProxyStatusJson> ORDER = Comparator.comparing(ProxyStatusJson::namespace)
            .thenComparing(ProxyStatusJson::deployment).thenComparing(ProxyStatusJson::proxyId);

    private final EmbeddedFleet fleet;

    public ProxiesController(EmbeddedFleet fleet) {
        this.fleet = requireNonNull(fleet, "fleet");
    }

    /** Sorted by namespace, deployment and proxy id. */
    @GetMapping
    public List<ProxyStatusJson> proxies() {
        return fleet.proxies().stream().map(ProxyStatusJson::of).sorted(ORDER).toList();
    }
}
