package dev.meshpilot.console.security;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;

/**
 * Makes sure the {@code admin} user exists: with the configured password ({@code MESHPILOT_ADMIN_PASSWORD})
 * when there is one, else with a generated one that is printed once. There is no default password.
 */
public final class AdminAccount {

    public static final String ADMIN = "admin";
    static final int GENERATED_LENGTH = 28;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminAccount() {}

    /**
     * @param configured the configured password, or {@code null}/blank when none
     * @param out        where a generated password is shown (once)
     */
    public static void ensure(UserStore users, @Nullable String configured, PrintStream out) {
        requireNonNull(users, "users");
        requireNonNull(out, "out");
        if (configured != null && !configured.isBlank()) {
            if (!users.matches(ADMIN, configured)) {
                users.setPassword(ADMIN, configured);
            }
            return;
        }
        if (users.contains(ADMIN)) {
            return;
        }
        String generated = generatePassword();
        users.setPassword(ADMIN, generated);
        out.println("Admin password (shown once): " + generated);
        out.flush();
    }

    static String generatePassword() {
        StringBuilder password = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
