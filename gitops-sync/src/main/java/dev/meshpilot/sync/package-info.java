/**
 * Meshpilot's GitOps side: the mesh repository ({@link dev.meshpilot.sync.MeshRepository}), change requests,
 * the sync loop that compiles every new commit of the tracked branch and applies it to its targets.
 */
@NullMarked
package dev.meshpilot.sync;

import org.jspecify.annotations.NullMarked;
