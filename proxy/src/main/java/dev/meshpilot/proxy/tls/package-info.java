/**
 * Transport security of the proxies: the inbound listener that serves mutual TLS and/or plaintext by the workload's
 * mTLS mode (sniffing the first byte on one port), the peer principal of each inbound exchange, and the client side
 * (which destination gets mutual TLS with which expected peer identities, one pooled client per identity set).
 */
@NullMarked
package dev.meshpilot.proxy.tls;

import org.jspecify.annotations.NullMarked;
