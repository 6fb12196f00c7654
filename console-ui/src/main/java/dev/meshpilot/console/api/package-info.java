@NullMarked
package dev.meshpilot.console.api;

import org.jspecify.annotations.NullMarked;
