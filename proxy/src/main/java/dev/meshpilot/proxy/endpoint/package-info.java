@NullMarked
package dev.meshpilot.proxy.endpoint;

import org.jspecify.annotations.NullMarked;
