/** Security decisions: authorization (AuthorizationPolicy, legacy RBAC) and the mTLS mode (PeerAuthentication). */
@NullMarked
package dev.meshpilot.policy.security;

import org.jspecify.annotations.NullMarked;
