package dev.meshpilot.console.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The name of the user of the current request (the author of the commits the console makes). */
public final class CurrentUser {

    private CurrentUser() {}

    public static String name() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            throw new IllegalStateException("no authenticated user");
        }
        return authentication.getName();
    }
}
