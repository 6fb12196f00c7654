package dev.meshpilot.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorTokenTest {

    @TempDir
    Path data;

    @Test
    void isCreatedOnceReadableByTheOwnerOnlyAndKeptAcrossRestarts() throws Exception {
        Path file = data.resolve("operator-token");

        OperatorToken first = OperatorToken.loadOrCreate(file);
        OperatorToken second = OperatorToken.loadOrCreate(file);

        assertThat(first.value()).matches("[0-9a-f]{64}");
        assertThat(second).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void neverShowsItselfInToString() {
        OperatorToken token = OperatorToken.loadOrCreate(data.resolve("operator-token"));

        assertThat(token.toString()).doesNotContain(token.value());
    }

    @Test
    void aDamagedFileIsAnErrorNamingTheFileNotANewToken() throws Exception {
        Path file = data.resolve("operator-token");
        Files.writeString(file, "guessable\n");

        assertThatThrownBy(() -> OperatorToken.loadOrCreate(file))
                .hasMessageContaining(file.toString()).hasMessageContaining("delete the file");
        assertThat(Files.readString(file)).isEqualTo("guessable\n");
    }
}
