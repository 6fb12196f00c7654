@NullMarked
package dev.meshpilot.console.cli;

import org.jspecify.annotations.NullMarked;
