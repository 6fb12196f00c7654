@NullMarked
package dev.meshpilot.e2e.support;

import org.jspecify.annotations.NullMarked;
