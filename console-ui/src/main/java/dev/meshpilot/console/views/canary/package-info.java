@NullMarked
package dev.meshpilot.console.views.canary;

import org.jspecify.annotations.NullMarked;
