@NullMarked
package dev.meshpilot.proxy.authz;

import org.jspecify.annotations.NullMarked;
