/** {@code meshpilot logs}: the sidecar access log of a running instance, read over the REST API. */
@NullMarked
package dev.meshpilot.console.logs;

import org.jspecify.annotations.NullMarked;
