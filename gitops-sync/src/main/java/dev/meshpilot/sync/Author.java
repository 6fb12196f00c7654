package dev.meshpilot.sync;

import static java.util.Objects.requireNonNull;

import org.eclipse.jgit.lib.PersonIdent;

/** The operator who makes a change: Git author and committer of the commit. */
public record Author(String name, String email) {
    public Author {
        requireNonNull(name, "name");
        requireNonNull(email, "email");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: \"" + name + "\" (expected: not blank)");
        }
    }

    PersonIdent ident() {
        return new PersonIdent(name, email);
    }
}
