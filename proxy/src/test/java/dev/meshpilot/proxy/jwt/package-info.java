/** End-user authentication: JWT verification of RequestAuthentication {@code jwtRules}. */
@NullMarked
package dev.meshpilot.proxy.jwt;

import org.jspecify.annotations.NullMarked;
