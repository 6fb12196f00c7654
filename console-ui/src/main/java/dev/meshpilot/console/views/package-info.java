@NullMarked
package dev.meshpilot.console.views;

import org.jspecify.annotations.NullMarked;
