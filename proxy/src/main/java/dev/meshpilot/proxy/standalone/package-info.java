/**
 * A sidecar run on its own, outside the embedded fleet, for benchmarks: {@link StandaloneSidecar} forwards
 * everything to one upstream through the real routing and forwarding path, {@link OpenLoopClient} measures
 * latency at a fixed request rate.
 */
@NullMarked
package dev.meshpilot.proxy.standalone;

import org.jspecify.annotations.NullMarked;
