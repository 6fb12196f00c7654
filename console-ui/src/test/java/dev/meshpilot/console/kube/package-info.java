@NullMarked
package dev.meshpilot.console.kube;

import org.jspecify.annotations.NullMarked;
