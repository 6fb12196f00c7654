@NullMarked
package dev.meshpilot.proxy.tls;

import org.jspecify.annotations.NullMarked;
