@NullMarked
package dev.meshpilot.proxy.egress;

import org.jspecify.annotations.NullMarked;
