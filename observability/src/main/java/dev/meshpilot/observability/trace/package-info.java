@NullMarked
package dev.meshpilot.observability.trace;

import org.jspecify.annotations.NullMarked;
