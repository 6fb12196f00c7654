/** In-place edits of the YAML the operator owns (canary weights), keeping every other byte. */
@NullMarked
package dev.meshpilot.policy.edit;

import org.jspecify.annotations.NullMarked;
