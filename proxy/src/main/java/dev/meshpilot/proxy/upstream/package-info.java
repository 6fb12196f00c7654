/**
 * The proxy's own HTTP/1.1 client: pooled keep-alive blocking sockets (plain or mutual TLS) used from the request's
 * virtual thread; one buffered write per request, a response read in full.
 */
@NullMarked
package dev.meshpilot.proxy.upstream;

import org.jspecify.annotations.NullMarked;
