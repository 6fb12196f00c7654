@NullMarked
package dev.meshpilot.console.runtime;

import org.jspecify.annotations.NullMarked;
