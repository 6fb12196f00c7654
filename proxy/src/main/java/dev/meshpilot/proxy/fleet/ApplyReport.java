package dev.meshpilot.proxy.fleet;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link EmbeddedFleet#apply} did.
 *
 * @param workloadsStarted instances started
 * @param workloadsStopped instances stopped
 * @param messages         human-readable lines (skipped images, restarts, scaling)
 */
public record ApplyReport(String version, int workloadsStarted, int workloadsStopped, List<ProxyStatus> proxies,
        List<String> messages) {
    public ApplyReport {
        requireNonNull(version, "version");
        proxies = List.copyOf(proxies);
        messages = List.copyOf(messages);
    }
}
