package dev.meshpilot.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadCertificateAuthorityTest {

    private static final SpiffeId HELLO = SpiffeId.of("default", "hello");

    @TempDir
    Path tmp;

    private Path caDir;

    @BeforeEach
    void setUp() {
        caDir = tmp.resolve("data").resolve("ca");
    }

    @Test
    void createsSelfSignedP256RootWithPathLenOneValidForTenYears() throws Exception {
        X509Certificate root = WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults())
                .rootCertificate();

        root.verify(root.getPublicKey());
        assertThat(root.getBasicConstraints()).isEqualTo(1);
        assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(((ECPublicKey) root.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThat(Duration.between(root.getNotBefore().toInstant(), root.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(3650));
        assertThat(root.getSubjectX500Principal().getName()).contains("O=meshpilot").contains("cluster.local");
    }

    @Test
    void issuesSpiffeWorkloadCertificateWithServerAndClientUsages() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults());
        Instant now = Instant.now();

        WorkloadCertificate cert = ca.issue("default", "hello");
        X509Certificate leaf = cert.leaf();

        leaf.verify(ca.rootCertificate().getPublicKey());
        assertThat(cert.chain()).hasSize(1);
        assertThat(cert.spiffeId()).isEqualTo(HELLO);
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.17");
        assertThat(leaf.getSubjectAlternativeNames())
                .containsExactly(List.of(6, "spiffe://cluster.local/ns/default/sa/hello"));
        boolean[] usage = leaf.getKeyUsage();
        assertThat(usage[0]).as("digitalSignature").isTrue();
        assertThat(usage[2]).as("keyEncipherment").isTrue();
        assertThat(usage[5]).as("keyCertSign").isFalse();
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.notBefore()).isCloseTo(now.minus(1, ChronoUnit.MINUTES), within(3, ChronoUnit.SECONDS));
        assertThat(cert.notAfter()).isCloseTo(now.plus(24, ChronoUnit.HOURS), within(3, ChronoUnit.SECONDS));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(cert.notAfter());
        assertThat(cert.toString()).doesNotContain(cert.privateKey().toString());
    }

    @Test
    void workloadTtlIsConfigurable() {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(caDir,
                CaSettings.defaults().withWorkloadTtl(Duration.ofSeconds(2)));
        Instant now = Instant.now();

        assertThat(ca.issue(HELLO).notAfter()).isBetween(now.minusSeconds(1), now.plusSeconds(3));
        assertThat(ca.issue(HELLO, Duration.ofMinutes(5)).notAfter())
                .isCloseTo(now.plus(5, ChronoUnit.MINUTES), within(3, ChronoUnit.SECONDS));
        assertThatThrownBy(() -> CaSettings.defaults().withWorkloadTtl(Duration.ZERO))
                .hasMessage("workloadTtl: PT0S (expected: > 0)");
    }

    @Test
    void refusesIdentityOfAnotherTrustDomain() {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults());

        assertThatThrownBy(() -> ca.issue(new SpiffeId("example.org", "default", "hello")))
                .hasMessage("id: spiffe://example.org/ns/default/sa/hello (expected: trust domain cluster.local)");
    }

    @Test
    void reloadsTheSameRootOnRestart() throws Exception {
        WorkloadCertificateAuthority first = WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults());
        WorkloadCertificateAuthority second = WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults());

        assertThat(second.rootCertificate()).isEqualTo(first.rootCertificate());
        X509Certificate[] chain = second.issue(HELLO).chain().toArray(new X509Certificate[0]);
        assertThat(first.trustBundle().trustManager().validateServer(chain)).isEqualTo(HELLO);
    }

    @Test
    void rootPrivateKeyIsEncryptedAtRest() throws Exception {
        WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults());

        assertThat(Files.readString(caDir.resolve(DirectoryRootStore.ROOT_KEY)))
                .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY");
        try (var files = Files.list(caDir)) {
            for (Path file : files.toList()) {
                assertThat(Files.readString(file)).as(file.getFileName().toString())
                        .doesNotContain("BEGIN PRIVATE KEY").doesNotContain("BEGIN EC PRIVATE KEY");
            }
        }
        assertThatThrownBy(() -> Pem.readPrivateKey(caDir.resolve(DirectoryRootStore.ROOT_KEY), null))
                .hasMessageContaining("encrypted key");
        assertThat(PosixPermissions.of(caDir.resolve(DirectoryRootStore.ROOT_KEY))).isEqualTo("rw-------");
        assertThat(PosixPermissions.of(caDir)).isEqualTo("rwx------");
    }

    @Test
    void generatedPasswordAppearsOnlyInItsOwnOwnerOnlyFileAndNeverInTheLog() throws Exception {
        String log = CapturedStderr.during(() -> {
            WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults());
            WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults());
        });
        Path passwordFile = caDir.resolve(DirectoryRootStore.PASSWORD_FILE);
        String password = Files.readString(passwordFile).strip();

        assertThat(password).hasSizeGreaterThanOrEqualTo(40);
        assertThat(PosixPermissions.of(passwordFile)).isEqualTo("rw-------");
        assertThat(log).contains("mesh root CA").doesNotContain(password);
        try (var files = Files.list(caDir)) {
            for (Path file : files.filter(f -> !f.equals(passwordFile)).toList()) {
                assertThat(Files.readString(file)).as(file.getFileName().toString()).doesNotContain(password);
            }
        }
    }

    @Test
    void givenPasswordIsNeverWrittenToTheCaDirectory() throws Exception {
        String password = "correct horse battery staple";
        CaSettings settings = CaSettings.defaults().withKeyPassword(password);
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(caDir, settings);

        assertThat(caDir.resolve(DirectoryRootStore.PASSWORD_FILE)).doesNotExist();
        try (var files = Files.list(caDir)) {
            for (Path file : files.toList()) {
                assertThat(Files.readString(file)).doesNotContain(password);
            }
        }
        assertThat(settings.toString()).doesNotContain(password);
        assertThat(WorkloadCertificateAuthority.openOrCreate(caDir, settings).rootCertificate())
                .isEqualTo(ca.rootCertificate());
        assertThatThrownBy(() -> WorkloadCertificateAuthority.openOrCreate(caDir,
                CaSettings.defaults().withKeyPassword("wrong password 123")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("wrong key-encryption password");
        assertThatThrownBy(() -> WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults()))
                .hasMessageContaining("root-key.password is missing");
    }

    @Test
    void refusesPasswordFileReadableByOthers() throws Exception {
        WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults());
        PosixPermissions.set(caDir.resolve(DirectoryRootStore.PASSWORD_FILE), "rw-r--r--");

        assertThatThrownBy(() -> WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults()))
                .hasMessageContaining("root-key.password: rw-r--r-- (expected: rw------- or stricter)");
    }

    @Test
    void refusesCaDirectoryInsideGitRepository() throws Exception {
        Path workTree = tmp.resolve("mesh");
        Files.createDirectories(workTree.resolve(".git"));
        Path bare = tmp.resolve("mesh.git");
        Files.createDirectories(bare.resolve("objects"));
        Files.createDirectories(bare.resolve("refs"));
        Files.writeString(bare.resolve("HEAD"), "ref: refs/heads/main\n");

        for (Path repo : List.of(workTree, bare)) {
            assertThatThrownBy(() -> WorkloadCertificateAuthority.openOrCreate(repo.resolve("ca"),
                    CaSettings.defaults()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is inside the git repository " + repo);
        }
        assertThat(workTree.resolve("ca")).doesNotExist();
    }
}
