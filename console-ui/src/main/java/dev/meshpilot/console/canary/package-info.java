@NullMarked
package dev.meshpilot.console.canary;

import org.jspecify.annotations.NullMarked;
