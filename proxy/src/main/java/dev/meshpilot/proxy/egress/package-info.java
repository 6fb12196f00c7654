/**
 * Traffic that leaves the mesh from a sidecar: where a ServiceEntry host or a passed-through host is reached
 * ({@link dev.meshpilot.proxy.egress.HostResolver}) and whether a call to a host outside the registry may leave
 * ({@link dev.meshpilot.proxy.egress.OutboundPolicy}, Istio's {@code outboundTrafficPolicy}).
 */
@NullMarked
package dev.meshpilot.proxy.egress;

import org.jspecify.annotations.NullMarked;
