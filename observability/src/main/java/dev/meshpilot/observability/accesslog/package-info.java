@NullMarked
package dev.meshpilot.observability.accesslog;

import org.jspecify.annotations.NullMarked;
