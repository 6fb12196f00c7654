@NullMarked
package dev.meshpilot.console.logs;

import org.jspecify.annotations.NullMarked;
