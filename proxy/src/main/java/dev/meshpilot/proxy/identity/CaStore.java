package dev.meshpilot.proxy.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh root on disk: {@code root-cert.pem}, {@code root-key.pem} (encrypted PKCS#8, mode 600) and, when no
 * key-encryption password is given, {@code root-key.password} (generated on first start, mode 600).
 */
final class CaStore {

    static final String ROOT_CERT = "root-cert.pem";
    static final String ROOT_KEY = "root-key.pem";
    static final String PASSWORD_FILE = "root-key.password";

    private static final Logger log = LoggerFactory.getLogger(CaStore.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    record Root(X509Certificate certificate, PrivateKey key) {}

    private CaStore() {}

    static Root openOrCreate(Path caDir, CaSettings settings) {
        Path dir = caDir.toAbsolutePath().normalize();
        requireOutsideGitRepository(dir);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                restrict(dir, OWNER_DIR);
            }
            if (Files.exists(dir.resolve(ROOT_CERT))) {
                return load(dir, settings);
            }
            return create(dir, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("mesh CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Root load(Path dir, CaSettings settings) throws IOException {
        char[] password = password(dir, settings, false);
        X509Certificate certificate = Pem.readCertificates(dir.resolve(ROOT_CERT)).get(0);
        PrivateKey key = Pem.readPrivateKey(dir.resolve(ROOT_KEY), password);
        if (!X509Builders.matches(certificate, key)) {
            throw new IOException(ROOT_KEY + " is not the key of " + ROOT_CERT);
        }
        log.info("Loaded mesh root CA {} (serial {}) from {}", certificate.getSubjectX500Principal().getName(),
                certificate.getSerialNumber().toString(16), dir);
        return new Root(certificate, key);
    }

    private static Root create(Path dir, CaSettings settings) throws IOException {
        char[] password = password(dir, settings, true);
        KeyPair keys = X509Builders.newEcKeyPair();
        Instant notBefore = settings.clock().instant().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        X509Certificate certificate = X509Builders.selfSignedCa(keys,
                "CN=meshpilot mesh root, OU=" + settings.trustDomain() + ", O=meshpilot", notBefore,
                notBefore.plus(3650, ChronoUnit.DAYS), 1);
        writeAtomically(dir, ROOT_KEY, Pem.encryptedPrivateKey(keys.getPrivate(), password), true);
        writeAtomically(dir, ROOT_CERT, Pem.certificates(List.of(certificate)), false);
        log.info("Created mesh root CA {} (serial {}) in {}, key encrypted with the password {}",
                certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber().toString(16), dir,
                settings.keyPassword() == null ? "of " + PASSWORD_FILE : "given in the settings");
        return new Root(certificate, keys.getPrivate());
    }

    /** The given password, else the password file (generated when {@code create} and it is absent). */
    private static char[] password(Path dir, CaSettings settings, boolean create) throws IOException {
        if (settings.keyPassword() != null) {
            return settings.keyPassword().toCharArray();
        }
        Path file = dir.resolve(PASSWORD_FILE);
        if (Files.exists(file)) {
            requireOwnerOnly(file);
            return Files.readString(file, StandardCharsets.US_ASCII).strip().toCharArray();
        }
        if (!create) {
            throw new IOException(PASSWORD_FILE + " is missing (expected: the file or a key-encryption password in "
                    + CaSettings.KEY_PASSWORD_ENV + ")");
        }
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

    private static void writeAtomically(Path dir, String name, String content, boolean secret) throws IOException {
        Path temp = dir.resolve(name + ".tmp");
        Files.deleteIfExists(temp);
        if (secret && isPosix(dir)) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The CA directory must not be (inside) a git repository: the mesh repository is pushed and cloned. */
    static void requireOutsideGitRepository(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            boolean workTree = Files.exists(p.resolve(".git"));
            boolean bare = Files.isRegularFile(p.resolve("HEAD")) && Files.isDirectory(p.resolve("objects"))
                    && Files.isDirectory(p.resolve("refs"));
            if (workTree || bare) {
                throw new IllegalArgumentException("caDir: " + dir + " is inside the git repository " + p
                        + " (expected: a directory outside any repository, e.g. the console's data dir)");
            }
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (isPosix(path)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static boolean isPosix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
