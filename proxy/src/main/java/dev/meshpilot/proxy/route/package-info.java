@NullMarked
package dev.meshpilot.proxy.route;

import org.jspecify.annotations.NullMarked;
