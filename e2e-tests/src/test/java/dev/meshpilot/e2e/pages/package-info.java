@NullMarked
package dev.meshpilot.e2e.pages;

import org.jspecify.annotations.NullMarked;
