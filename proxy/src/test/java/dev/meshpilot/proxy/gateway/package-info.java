@NullMarked
package dev.meshpilot.proxy.gateway;

import org.jspecify.annotations.NullMarked;
