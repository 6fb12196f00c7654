/**
 * Enforcement at a sidecar's inbound listener: path normalization, end-user authentication (RequestAuthentication)
 * and authorization (AuthorizationPolicy, legacy RBAC), in Istio's order, with the operator's "why" header.
 */
@NullMarked
package dev.meshpilot.proxy.authz;

import org.jspecify.annotations.NullMarked;
