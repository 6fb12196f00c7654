@NullMarked
package dev.meshpilot.proxy.upstream;

import org.jspecify.annotations.NullMarked;
