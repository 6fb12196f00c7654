@NullMarked
package dev.meshpilot.proxy.identity;

import org.jspecify.annotations.NullMarked;
