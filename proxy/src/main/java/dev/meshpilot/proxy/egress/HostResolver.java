package dev.meshpilot.proxy.egress;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Turns a host outside the mesh ({@code ifconfig.co:80}) into the address a sidecar connects to: Istio's
 * {@code resolution: DNS} and the original destination of a passed-through call. {@link #SYSTEM} leaves the name
 * unresolved so the HTTP client resolves it with the system's DNS and sends the host's own {@code Host} header.
 */
@FunctionalInterface
public interface HostResolver {

    /** Connect to the host name as given, resolved by the system's DNS when the request is sent. */
    HostResolver SYSTEM = InetSocketAddress::createUnresolved;

    /** The address to connect to for {@code host:port}; throws when the name does not resolve. */
    InetSocketAddress resolve(String host, int port) throws UnknownHostException;
}
