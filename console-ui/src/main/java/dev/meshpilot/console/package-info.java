@NullMarked
package dev.meshpilot.console;

import org.jspecify.annotations.NullMarked;
