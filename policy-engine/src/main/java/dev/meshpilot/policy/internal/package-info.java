/** Implementation of the policy engine: YAML loading, resource parsers, analysis and the compiled tables. */
@NullMarked
package dev.meshpilot.policy.internal;

import org.jspecify.annotations.NullMarked;
