/**
 * Meshpilot's policy engine: Istio's configuration model, validation, compilation to an immutable
 * {@link dev.meshpilot.policy.MeshSnapshot} and the decisions taken on it. No network, no threads.
 */
@NullMarked
package dev.meshpilot.policy;

import org.jspecify.annotations.NullMarked;
