package dev.meshpilot.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

class AdminAccountTest {

    private static final Pattern SHOWN = Pattern.compile("Admin password \\(shown once\\): (\\S+)");

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @TempDir
    Path data;

    @Test
    void generatesAPasswordOnFirstStartShowsItOnceAndStoresOnlyItsHash() throws Exception {
        Path file = data.resolve("users.properties");

        AdminAccount.ensure(UserStore.open(file, encoder), null, print());
        AdminAccount.ensure(UserStore.open(file, encoder), "", print());

        Matcher shown = SHOWN.matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(shown.find()).isTrue();
        String password = shown.group(1);
        assertThat(password).hasSizeGreaterThanOrEqualTo(24);
        assertThat(shown.find()).as("shown only once").isFalse();
        String stored = Files.readString(file);
        assertThat(stored).doesNotContain(password).contains("admin={bcrypt}");
        assertThat(UserStore.open(file, encoder).matches("admin", password)).isTrue();
    }

    @Test
    void theConfiguredPasswordWinsAndIsNotShown() throws Exception {
        Path file = data.resolve("users.properties");
        AdminAccount.ensure(UserStore.open(file, encoder), null, print());

        AdminAccount.ensure(UserStore.open(file, encoder), "correct horse battery", print());

        UserStore users = UserStore.open(file, encoder);
        assertThat(users.matches("admin", "correct horse battery")).isTrue();
        assertThat(Files.readString(file)).doesNotContain("correct horse battery");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("correct horse battery");
    }

    @Test
    void generatedPasswordsDiffer() {
        assertThat(AdminAccount.generatePassword()).isNotEqualTo(AdminAccount.generatePassword());
    }

    private PrintStream print() {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }
}
