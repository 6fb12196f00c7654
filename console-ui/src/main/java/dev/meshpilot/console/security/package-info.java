@NullMarked
package dev.meshpilot.console.security;

import org.jspecify.annotations.NullMarked;
