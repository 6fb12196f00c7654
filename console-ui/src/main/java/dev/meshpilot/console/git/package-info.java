@NullMarked
package dev.meshpilot.console.git;

import org.jspecify.annotations.NullMarked;
