@NullMarked
package dev.meshpilot.console.config;

import org.jspecify.annotations.NullMarked;
