package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Bootstrap tokens for out-of-process sidecars: an operator issues one for a {@code namespace/serviceAccount}; the
 * sidecar presents it with its CSR and gets certificates for that identity only. A token is 32 random bytes
 * (base64url); only its SHA-256 is stored, with the identity and the expiry, one line per token in {@code file}
 * (owner-only), in the runtime's data directory. A presented token is hashed and compared with every stored hash in
 * constant time.
 */
public final class BootstrapTokens {

    /** Longest lifetime of a token. */
    public static final Duration MAX_TTL = Duration.ofDays(30);

    /** What a token allows: certificates for {@code namespace/serviceAccount} until {@code expiresAt}. */
    public record Grant(String namespace, String serviceAccount, Instant expiresAt) {
        public Grant {
            requireNonNull(namespace, "namespace");
            requireNonNull(serviceAccount, "serviceAccount");
            requireNonNull(expiresAt, "expiresAt");
            SpiffeId.of(namespace, serviceAccount); // validates both names
        }
    }

    /** A freshly issued token: {@code token} is shown once and never stored. */
    public record Issued(String token, Grant grant) {
        @Override
        public String toString() {
            return "Issued[token=(hidden), grant=" + grant + "]";
        }
    }

    private record Stored(byte[] hash, Grant grant) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Clock clock;

    private BootstrapTokens(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** The tokens stored in {@code file} (created on the first issue). */
    public static BootstrapTokens open(Path file, Clock clock) {
        return new BootstrapTokens(requireNonNull(file, "file"), requireNonNull(clock, "clock"));
    }

    public static BootstrapTokens open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /** A new token for {@code namespace/serviceAccount}, valid for {@code ttl} (at most {@link #MAX_TTL}). */
    public synchronized Issued issue(String namespace, String serviceAccount, Duration ttl) {
        requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0 and <= " + MAX_TTL + ")");
        }
        Grant grant = new Grant(namespace, serviceAccount, clock.instant().plus(ttl));
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        List<Stored> all = new ArrayList<>(live());
        all.add(new Stored(sha256(token), grant));
        write(all);
        return new Issued(token, grant);
    }

    /** The grant of {@code token} when it was issued here and has not expired; empty otherwise. */
    public synchronized Optional<Grant> authenticate(String token) {
        requireNonNull(token, "token");
        byte[] presented = sha256(token);
        Grant match = null;
        for (Stored stored : live()) {
            if (MessageDigest.isEqual(stored.hash(), presented)) {
                match = stored.grant();
            }
        }
        return Optional.ofNullable(match);
    }

    /** The tokens not yet expired. */
    private List<Stored> live() {
        Instant now = clock.instant();
        return read().stream().filter(s -> s.grant().expiresAt().isAfter(now)).toList();
    }

    private List<Stored> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Stored> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.strip().split(" ");
                if (f.length == 4) {
                    out.add(new Stored(HexFormat.of().parseHex(f[0]), new Grant(f[1], f[2], Instant.parse(f[3]))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bootstrap tokens: cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("bootstrap tokens: " + file + " is damaged (expected: lines of "
                    + "<sha256 hex> <namespace> <serviceAccount> <expiry>)", e);
        }
        return out;
    }

    private void write(List<Stored> tokens) {
        StringBuilder text = new StringBuilder();
        for (Stored s : tokens) {
            text.append(HexFormat.of().formatHex(s.hash())).append(' ').append(s.grant().namespace()).append(' ')
                    .append(s.grant().serviceAccount()).append(' ').append(s.grant().expiresAt()).append('\n');
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temp,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("bootstrap tokens: cannot write " + file, e);
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d} (Istio-style durations) or ISO-8601 {@code PT24H}. */
    public static Duration parseTtl(String text) {
        requireNonNull(text, "text");
        String t = text.strip();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t);
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException("unit");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ttl: '" + text + "' (expected: a duration like 24h, 30m or 7d)");
        }
    }
}
