/** The Security page: the mesh CA, its roots and their rotation, bootstrap tokens. */
@NullMarked
package dev.meshpilot.console.views.security;

import org.jspecify.annotations.NullMarked;
