@NullMarked
package dev.meshpilot.proxy.echo;

import org.jspecify.annotations.NullMarked;
