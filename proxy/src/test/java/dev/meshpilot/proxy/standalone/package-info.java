@NullMarked
package dev.meshpilot.proxy.standalone;

import org.jspecify.annotations.NullMarked;
