@NullMarked
package dev.meshpilot.proxy;

import org.jspecify.annotations.NullMarked;
