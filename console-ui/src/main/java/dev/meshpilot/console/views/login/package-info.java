@NullMarked
package dev.meshpilot.console.views.login;

import org.jspecify.annotations.NullMarked;
