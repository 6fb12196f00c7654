package dev.meshpilot.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshpilot.proxy.testing.Eventually;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A root rotation of the self-signed mesh root: two trusted roots, re-issued workloads, the previous root retiring. */
class RootRotationTest {

    private static final SpiffeId HELLO = SpiffeId.of("default", "hello");

    @TempDir
    Path dir;

    @Test
    void trustsBothRootsIssuesFromTheNewOneAndStoresIt() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults());
        X509Certificate previous = ca.rootCertificate();
        WorkloadCertificate before = ca.issue(HELLO);

        RootRotation rotation = ca.rotateRoot();

        X509Certificate next = ca.rootCertificate();
        assertThat(next).isNotEqualTo(previous).isEqualTo(rotation.newRoot());
        assertThat(rotation.previousRoot()).isEqualTo(previous);
        assertThat(rotation.previousRootRetiresAt()).isEqualTo(before.notAfter());
        assertThat(ca.trustBundle().roots()).containsExactly(previous, next);
        ca.issue(HELLO).leaf().verify(next.getPublicKey());
        assertThat(ca.trustBundle().trustManager().validateClient(before.chain().toArray(X509Certificate[]::new)))
                .isEqualTo(HELLO);
        assertThat(WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"), CaSettings.defaults())
                .rootCertificate()).isEqualTo(next);
        assertThatThrownBy(ca::rotateRoot).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a root rotation is in progress until " + before.notAfter());

        assertThat(ca.finishRootRotation()).contains(rotation);
        assertThat(ca.trustBundle().roots()).containsExactly(next);
        assertThat(ca.rootRotation()).isEmpty();
        assertThat(ca.finishRootRotation()).isEmpty();
    }

    @Test
    void aRestartDuringTheRotationStillTrustsThePreviousRootUntilTheRotationIsFinished() {
        Path caDir = dir.resolve("ca");
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults());
        ca.issue(HELLO);
        RootRotation rotation = ca.rotateRoot();

        WorkloadCertificateAuthority restarted = WorkloadCertificateAuthority.openOrCreate(caDir,
                CaSettings.defaults());

        assertThat(restarted.rootRotation()).contains(rotation);
        assertThat(restarted.trustBundle().roots()).containsExactly(rotation.previousRoot(), rotation.newRoot());
        assertThat(restarted.finishRootRotation()).contains(rotation);
        assertThat(caDir.resolve(DirectoryRootStore.PREVIOUS_ROOT_CERT)).doesNotExist();
        assertThat(WorkloadCertificateAuthority.openOrCreate(caDir, CaSettings.defaults()).trustBundle().roots())
                .containsExactly(rotation.newRoot());
    }

    @Test
    void aRotatorReissuesFromTheNewRootAtOnceAndNotAfterItClosed() throws Exception {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults());
        CertificateRotator rotator = CertificateRotator.start(ca, HELLO, Duration.ofHours(1));
        try (rotator) {
            ca.rotateRoot();

            assertThat(rotator.rotations()).isEqualTo(1);
            rotator.current().leaf().verify(ca.rootCertificate().getPublicKey());
            ca.finishRootRotation();
            assertThat(rotator.rotations()).as("the previous root retiring changes no issuer").isEqualTo(1);
        }
        ca.rotateRoot();
        assertThat(rotator.rotations()).isEqualTo(1);
    }

    @Test
    void thePreviousRootLeavesTheBundleWhenItsLastCertificateExpires() {
        WorkloadCertificateAuthority ca = WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"),
                CaSettings.defaults().withWorkloadTtl(Duration.ofSeconds(2)));
        List<TrustBundle> seen = new CopyOnWriteArrayList<>();
        ca.addTrustListener(seen::add);
        WorkloadCertificate before = ca.issue(HELLO);

        ca.rotateRoot();
        assertThat(ca.trustBundle().roots()).hasSize(2);

        Eventually.within(Duration.ofSeconds(6), () -> assertThat(ca.trustBundle().roots()).hasSize(1));
        assertThat(ca.rootRotation()).isEmpty();
        assertThat(seen).extracting(bundle -> bundle.roots().size()).containsExactly(2, 1);
        assertThat(before.isExpiredAt(Instant.now())).isTrue();
        assertThat(dir.resolve("ca").resolve(DirectoryRootStore.ROTATION_FILE)).as("kept until the next start").exists();
        assertThat(WorkloadCertificateAuthority.openOrCreate(dir.resolve("ca"), CaSettings.defaults()).trustBundle()
                .roots()).hasSize(1);
        assertThat(dir.resolve("ca").resolve(DirectoryRootStore.ROTATION_FILE)).doesNotExist();
    }

    @Test
    void aRootAnotherWriterStoredFirstIsTheOneUsedAndAKeyWithoutPasswordStaysUnencrypted() {
        MemoryStore first = new MemoryStore();
        WorkloadCertificateAuthority winner = WorkloadCertificateAuthority.open(first, CaSettings.defaults());
        MemoryStore racing = new MemoryStore();
        racing.concurrentWriter = first.stored;

        WorkloadCertificateAuthority loser = WorkloadCertificateAuthority.open(racing, CaSettings.defaults());

        assertThat(loser.rootCertificate()).isEqualTo(winner.rootCertificate());
        assertThat(racing.stored).isSameAs(first.stored);
        assertThat(first.stored.keyEncrypted()).isFalse();
        assertThat(first.stored.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    /** A store in memory; {@code concurrentWriter} plays a concurrent writer that stored its root first. */
    private static final class MemoryStore implements RootStore {
        @Nullable RootPem stored;
        @Nullable RootPem concurrentWriter;

        @Override
        public String location() {
            return "memory";
        }

        @Override
        public String certificateName() {
            return "ca-cert.pem";
        }

        @Override
        public String keyName() {
            return "ca-key.pem";
        }

        @Override
        public Optional<RootPem> load() {
            return Optional.ofNullable(stored);
        }

        @Override
        public RootPem createIfAbsent(RootPem root) {
            stored = concurrentWriter != null ? concurrentWriter : root;
            return stored;
        }

        @Override
        public void replace(RootPem root) {
            stored = root;
        }

        @Override
        public Optional<RotationPem> loadRotation() {
            return Optional.empty();
        }

        @Override
        public void saveRotation(@Nullable RotationPem rotation) {
            throw new UnsupportedOperationException("no rotation in this test");
        }
    }
}
