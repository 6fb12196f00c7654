package dev.meshpilot.policy.cli;

import dev.meshpilot.policy.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the YAML files named on the command line: files as given, folders walked for *.yaml and *.yml. */
final class ConfigFiles {
    private ConfigFiles() {}

    /** @throws UsageException when a path does not exist or cannot be read */
    static List<SourceFile> read(List<String> paths) {
        List<SourceFile> out = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path f : walk.filter(Files::isRegularFile).filter(ConfigFiles::isYaml).sorted().toList()) {
                        out.add(read(f));
                    }
                } catch (IOException e) {
                    throw new UsageException("cannot read " + p + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(path)) {
                out.add(read(path));
            } else {
                throw new UsageException("no such file or folder: " + p);
            }
        }
        return out;
    }

    private static boolean isYaml(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static SourceFile read(Path p) {
        try {
            return new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UsageException("cannot read " + p + ": " + e.getMessage());
        }
    }

    /** A command line the user must correct: exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
