package dev.meshpilot.console.security;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The mesh's operator token: a request carrying it in {@code x-meshpilot-debug} learns from the destination sidecar
 * which policy and rule allowed or denied it ({@code x-meshpilot-authz}). Created on first start in the data
 * directory (owner-only), shown to logged-in operators on the Sync page, never written to the mesh repository.
 */
public record OperatorToken(String value) {

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{64}");

    public OperatorToken {
        requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("operator token: (hidden) (expected: 64 lowercase hex digits)");
        }
    }

    /** The token stored in {@code file}, or a new random one written there readable by the owner only. */
    public static OperatorToken loadOrCreate(Path file) {
        requireNonNull(file, "file");
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file).strip();
                if (!FORMAT.matcher(stored).matches()) {
                    throw new IllegalStateException(file + ": not an operator token (expected: 64 lowercase hex"
                            + " digits; delete the file to create a new one)");
                }
                return new OperatorToken(stored);
            }
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            OperatorToken token = new OperatorToken(HexFormat.of().formatHex(secret));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(temp, token.value() + "\n");
            Files.move(temp, file);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the operator token " + file, e);
        }
    }

    @Override
    public String toString() {
        return "OperatorToken[(hidden)]";
    }
}
