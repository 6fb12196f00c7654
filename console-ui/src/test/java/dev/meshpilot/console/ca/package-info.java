@NullMarked
package dev.meshpilot.console.ca;

import org.jspecify.annotations.NullMarked;
