@NullMarked
package dev.meshpilot.proxy.testing;

import org.jspecify.annotations.NullMarked;
