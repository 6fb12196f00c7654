/** Semantic differences between two snapshots, as sentences an operator reads in a review. */
@NullMarked
package dev.meshpilot.policy.diff;

import org.jspecify.annotations.NullMarked;
