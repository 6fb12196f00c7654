package dev.meshpilot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.policy.route.PathNormalization;
import org.junit.jupiter.api.Test;

/** Mesh config pathNormalization.normalization and what each mode does to a path (Istio's table). */
class PathNormalizationTest {
    static String meshConfig(String normalization) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |-
                    accessLogFile: /dev/stdout
                    pathNormalization:
                      normalization: %s
                """.formatted(normalization);
    }

    @Test
    void readsTheModeFromTheMeshConfigWithDefaultMeaningBase() {
        assertThat(MeshConfigTest.compile(meshConfig("MERGE_SLASHES")).snapshot().pathNormalization())
                .isEqualTo(PathNormalization.MERGE_SLASHES);
        assertThat(MeshConfigTest.compile(meshConfig("NONE")).snapshot().pathNormalization())
                .isEqualTo(PathNormalization.NONE);
        assertThat(MeshConfigTest.compile(meshConfig("DECODE_AND_MERGE_SLASHES")).snapshot().pathNormalization())
                .isEqualTo(PathNormalization.DECODE_AND_MERGE_SLASHES);
        assertThat(MeshConfigTest.compile(meshConfig("DEFAULT")).snapshot().pathNormalization())
                .isEqualTo(PathNormalization.BASE);
        assertThat(Seed.compile(Seed.files("helloworld.yaml")).pathNormalization()).isEqualTo(PathNormalization.BASE);
    }

    @Test
    void theDiffNamesAModeChange() {
        MeshSnapshot before = MeshConfigTest.compile(meshConfig("DEFAULT")).snapshot();
        MeshSnapshot after = MeshConfigTest.compile(meshConfig("MERGE_SLASHES")).snapshot();
        assertThat(dev.meshpilot.policy.diff.SnapshotDiff.describe(before, after))
                .containsExactly("mesh config pathNormalization: BASE → MERGE_SLASHES");
        assertThat(dev.meshpilot.policy.diff.SnapshotDiff.describe(before, before)).isEmpty();
    }

    @Test
    void anUnknownModeIsReportedAtItsLine() {
        CompileResult result = MeshConfigTest.compile(meshConfig("merge_slashes"));
        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("MP0103");
            assertThat(f.toString()).isEqualTo("mesh.yaml:8 ConfigMap istio-system/istio: "
                    + "data.mesh.pathNormalization.normalization: normalization: merge_slashes (expected: DEFAULT, NONE, "
                    + "BASE, MERGE_SLASHES or DECODE_AND_MERGE_SLASHES)");
        });
    }

    @Test
    void aPathNormalizationThatIsNoMappingIsReported() {
        CompileResult result = MeshConfigTest.compile(meshConfig("BASE").replace("pathNormalization:\n      normalization: BASE",
                "pathNormalization: BASE"));
        assertThat(result.errors()).extracting(Finding::code).containsExactly("MP0101");
    }

    @Test
    void baseDecodesUnreservedCharactersRemovesDotSegmentsAndTurnsBackslashes() {
        PathNormalization base = PathNormalization.BASE;
        assertThat(base.normalize("/a/../b")).isEqualTo("/b");
        assertThat(base.normalize("/a/./b/")).isEqualTo("/a/b/");
        assertThat(base.normalize("/../../x")).isEqualTo("/x");
        assertThat(base.normalize("/a/b/..")).isEqualTo("/a/");
        assertThat(base.normalize("\\da")).isEqualTo("/da");
        assertThat(base.normalize("/%61dmin/%2e%2e/secret")).isEqualTo("/secret");
        assertThat(base.normalize("/a%2fb")).isEqualTo("/a%2Fb");
        assertThat(base.normalize("/a//b?x=/../y")).isEqualTo("/a//b?x=/../y");
    }

    @Test
    void mergeSlashesAndDecodeAndMergeSlashesGoFurther() {
        assertThat(PathNormalization.MERGE_SLASHES.normalize("/a//b///c")).isEqualTo("/a/b/c");
        assertThat(PathNormalization.MERGE_SLASHES.normalize("/a%2fb")).isEqualTo("/a%2Fb");
        assertThat(PathNormalization.DECODE_AND_MERGE_SLASHES.normalize("/a%2fb")).isEqualTo("/a/b");
        assertThat(PathNormalization.DECODE_AND_MERGE_SLASHES.normalize("/a%5C%2F/b/%2e%2e/c")).isEqualTo("/a/c");
        assertThat(PathNormalization.NONE.normalize("/a/../%2fb//c")).isEqualTo("/a/../%2fb//c");
    }

    @Test
    void anEncodedNulIsRejectedWhateverTheMode() {
        assertThat(PathNormalization.rejects("/a%00b")).isTrue();
        assertThat(PathNormalization.rejects("/a?x=%00")).isFalse();
        assertThat(PathNormalization.fromMeshConfig("CLEAN")).isNull();
    }
}
