/**
 * The proxy's own HTTP/1.1 client: pooled keep-alive blocking sockets (plain or mutual TLS) used from the request's
 * virtual thread ({@link dev.meshpilot.proxy.upstream.Http1Client}), and its non-blocking plaintext counterpart run on
 * the downstream exchange's XNIO I/O thread ({@link dev.meshpilot.proxy.upstream.AsyncHttp1Client}); one buffered
 * write per request, a response read in full.
 */
@NullMarked
package dev.meshpilot.proxy.upstream;

import org.jspecify.annotations.NullMarked;
