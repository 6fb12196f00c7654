/**
 * TLS on the ingress gateway's HTTPS port: Gateway servers with {@code tls.mode} SIMPLE, MUTUAL, ISTIO_MUTUAL
 * (terminated, then routed like HTTP) and PASSTHROUGH (routed by SNI without termination), chosen per connection by
 * the ClientHello's server name.
 */
@NullMarked
package dev.meshpilot.proxy.gateway.tls;

import org.jspecify.annotations.NullMarked;
