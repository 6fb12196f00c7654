@NullMarked
package dev.meshpilot.proxy.sidecar;

import org.jspecify.annotations.NullMarked;
