package dev.meshpilot.console.security;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The console's users, kept in a properties file of the data directory ({@code name=encoded password
 * hash}); only hashes are ever written. Every user may operate the mesh (role {@code OPERATOR}).
 */
public final class UserStore implements UserDetailsService {

    private static final Pattern USER_NAME = Pattern.compile("[a-z][a-z0-9._-]{0,31}");

    private final Path file;
    private final PasswordEncoder encoder;
    private final Map<String, String> hashes = new TreeMap<>();

    private UserStore(Path file, PasswordEncoder encoder) {
        this.file = file;
        this.encoder = encoder;
    }

    /** Reads the file when it exists; it is created on the first {@link #setPassword}. */
    public static UserStore open(Path file, PasswordEncoder encoder) {
        requireNonNull(file, "file");
        requireNonNull(encoder, "encoder");
        UserStore store = new UserStore(file, encoder);
        if (Files.exists(file)) {
            try {
                Properties properties = new Properties();
                properties.load(new StringReader(Files.readString(file)));
                properties.forEach((name, hash) -> store.hashes.put((String) name, (String) hash));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read users file " + file, e);
            }
        }
        return store;
    }

    public synchronized boolean contains(String userName) {
        return hashes.containsKey(userName);
    }

    public synchronized boolean matches(String userName, String rawPassword) {
        String hash = hashes.get(userName);
        return hash != null && encoder.matches(rawPassword, hash);
    }

    /** Creates the user or replaces its password; stores the hash only. */
    public synchronized void setPassword(String userName, String rawPassword) {
        requireNonNull(userName, "userName");
        requireNonNull(rawPassword, "rawPassword");
        if (!USER_NAME.matcher(userName).matches()) {
            throw new IllegalArgumentException("userName: " + userName + " (expected: " + USER_NAME + ")");
        }
        if (rawPassword.length() < 8) {
            throw new IllegalArgumentException("password: " + rawPassword.length()
                    + " characters (expected: at least 8)");
        }
        hashes.put(userName, requireNonNull(encoder.encode(rawPassword), "hash"));
        save();
    }

    @Override
    public synchronized UserDetails loadUserByUsername(String userName) {
        String hash = hashes.get(userName);
        if (hash == null) {
            throw new UsernameNotFoundException("no such user: " + userName);
        }
        return User.withUsername(userName).password(hash).roles("OPERATOR").build();
    }

    Optional<String> hashOf(String userName) {
        return Optional.ofNullable(hashes.get(userName));
    }

    private void save() {
        StringBuilder text = new StringBuilder("# Meshpilot console users: name=password hash\n");
        hashes.forEach((name, hash) -> text.append(name).append('=').append(hash).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, text);
            restrictToOwner(temp);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write users file " + file, e);
        }
    }

    private static void restrictToOwner(Path path) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
