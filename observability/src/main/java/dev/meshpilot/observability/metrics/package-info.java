@NullMarked
package dev.meshpilot.observability.metrics;

import org.jspecify.annotations.NullMarked;
