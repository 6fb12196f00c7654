@NullMarked
package dev.meshpilot.proxy.fleet;

import org.jspecify.annotations.NullMarked;
