@NullMarked
package dev.meshpilot.policy.route;

import org.jspecify.annotations.NullMarked;
