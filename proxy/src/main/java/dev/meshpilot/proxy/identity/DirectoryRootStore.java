package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The mesh root in a directory outside any git repository: {@code root-cert.pem}, {@code root-key.pem} (encrypted
 * PKCS#8, mode 600) and, when no key-encryption password is given, {@code root-key.password} (generated on first
 * start, mode 600); during a root rotation also {@code previous-root-cert.pem} and {@code root-rotation.properties}
 * (when the previous root retires). The directory is created with mode 700.
 */
public final class DirectoryRootStore implements RootStore {

    static final String ROOT_CERT = "root-cert.pem";
    static final String ROOT_KEY = "root-key.pem";
    static final String PASSWORD_FILE = "root-key.password";
    static final String PREVIOUS_ROOT_CERT = "previous-root-cert.pem";
    static final String ROTATION_FILE = "root-rotation.properties";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    /** The store in {@code caDir}; fails when it lies inside a git repository. */
    public DirectoryRootStore(Path caDir) {
        dir = requireNonNull(caDir, "caDir").toAbsolutePath().normalize();
        requireOutsideGitRepository(dir, "caDir");
    }

    @Override
    public String location() {
        return dir.toString();
    }

    @Override
    public String certificateName() {
        return ROOT_CERT;
    }

    @Override
    public String keyName() {
        return ROOT_KEY;
    }

    @Override
    public Optional<RootPem> load() throws IOException {
        createDirectory();
        if (!Files.exists(dir.resolve(ROOT_CERT))) {
            return Optional.empty();
        }
        return Optional.of(new RootPem(Files.readString(dir.resolve(ROOT_CERT), StandardCharsets.US_ASCII),
                Files.readString(dir.resolve(ROOT_KEY), StandardCharsets.US_ASCII)));
    }

    @Override
    public RootPem createIfAbsent(RootPem root) throws IOException {
        Optional<RootPem> stored = load();
        if (stored.isPresent()) {
            return stored.get();
        }
        replace(root);
        return root;
    }

    /** Writes the key, then the certificate, each atomically (a temporary file moved over the old one). */
    @Override
    public void replace(RootPem root) throws IOException {
        requireNonNull(root, "root");
        createDirectory();
        writeAtomically(ROOT_KEY, root.keyPem(), true);
        writeAtomically(ROOT_CERT, root.certificatePem(), false);
    }

    @Override
    public Optional<RotationPem> loadRotation() throws IOException {
        Path state = dir.resolve(ROTATION_FILE);
        if (!Files.exists(state)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(state, StandardCharsets.US_ASCII)) {
            properties.load(reader);
        }
        try {
            return Optional.of(new RotationPem(
                    Files.readString(dir.resolve(PREVIOUS_ROOT_CERT), StandardCharsets.US_ASCII),
                    Instant.parse(properties.getProperty("startedAt", "")),
                    Instant.parse(properties.getProperty("previousRootRetiresAt", ""))));
        } catch (DateTimeParseException e) {
            throw new IOException(ROTATION_FILE + ": " + e.getMessage()
                    + " (expected: startedAt and previousRootRetiresAt as ISO-8601 instants)", e);
        }
    }

    /** {@code previous-root-cert.pem} then {@code root-rotation.properties} (whose presence marks a rotation). */
    @Override
    public void saveRotation(@Nullable RotationPem rotation) throws IOException {
        createDirectory();
        if (rotation == null) {
            Files.deleteIfExists(dir.resolve(ROTATION_FILE));
            Files.deleteIfExists(dir.resolve(PREVIOUS_ROOT_CERT));
            return;
        }
        writeAtomically(PREVIOUS_ROOT_CERT, rotation.previousRootPem(), false);
        writeAtomically(ROTATION_FILE, "startedAt=" + rotation.startedAt() + "\npreviousRootRetiresAt="
                + rotation.previousRootRetiresAt() + "\n", false);
    }

    /** The given password, else {@code root-key.password} (generated when {@code creating} and it is absent). */
    @Override
    public char[] keyPassword(CaSettings settings, boolean creating) throws IOException {
        if (settings.keyPassword() != null) {
            return settings.keyPassword().toCharArray();
        }
        Path file = dir.resolve(PASSWORD_FILE);
        if (Files.exists(file)) {
            requireOwnerOnly(file);
            return Files.readString(file, StandardCharsets.US_ASCII).strip().toCharArray();
        }
        if (!creating) {
            throw new IOException(PASSWORD_FILE + " is missing (expected: the file or a key-encryption password in "
                    + CaSettings.KEY_PASSWORD_ENV + ")");
        }
        createDirectory();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try {
            if (isPosix(dir)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException(PASSWORD_FILE + " was created concurrently", e);
        }
        Files.writeString(file, password + "\n", StandardCharsets.US_ASCII);
        return password.toCharArray();
    }

    /**
     * {@code dir} must not be (inside) a git repository: the mesh repository is pushed and cloned.
     *
     * @param what how the message names the directory ({@code caDir}, {@code --ca-certs})
     */
    static void requireOutsideGitRepository(Path dir, String what) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            boolean workTree = Files.exists(p.resolve(".git"));
            boolean bare = Files.isRegularFile(p.resolve("HEAD")) && Files.isDirectory(p.resolve("objects"))
                    && Files.isDirectory(p.resolve("refs"));
            if (workTree || bare) {
                throw new IllegalArgumentException(what + ": " + dir + " is inside the git repository " + p
                        + " (expected: a directory outside any repository, e.g. the console's data dir)");
            }
        }
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            if (isPosix(dir)) {
                Files.setPosixFilePermissions(dir, OWNER_DIR);
            }
        }
    }

    private void writeAtomically(String name, String content, boolean secret) throws IOException {
        Path temp = dir.resolve(name + ".tmp");
        Files.deleteIfExists(temp);
        if (secret && isPosix(dir)) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void requireOwnerOnly(Path file) throws IOException {
        if (!isPosix(file)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new IOException(file.getFileName() + ": " + PosixFilePermissions.toString(permissions)
                    + " (expected: rw------- or stricter)");
        }
    }

    private static boolean isPosix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }

    @Override
    public String toString() {
        return "DirectoryRootStore[" + dir + "]";
    }
}
