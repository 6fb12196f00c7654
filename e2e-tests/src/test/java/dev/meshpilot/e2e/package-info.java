@NullMarked
package dev.meshpilot.e2e;

import org.jspecify.annotations.NullMarked;
