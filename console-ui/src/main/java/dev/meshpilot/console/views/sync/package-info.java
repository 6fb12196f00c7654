@NullMarked
package dev.meshpilot.console.views.sync;

import org.jspecify.annotations.NullMarked;
