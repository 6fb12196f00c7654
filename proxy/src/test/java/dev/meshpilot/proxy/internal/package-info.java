@NullMarked
package dev.meshpilot.proxy.internal;

import org.jspecify.annotations.NullMarked;
