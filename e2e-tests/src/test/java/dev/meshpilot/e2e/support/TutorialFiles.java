package dev.meshpilot.e2e.support;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tutorial's YAML files, byte for byte as in {@code shared/seed/istio} (test resources {@code tutorial/}), and
 * the one edit a user makes to them with a text editor: deleting a whole document.
 */
public final class TutorialFiles {

    /** The files {@code ./meshpilot up} seeds the mesh repository with. */
    public static final Set<String> SEEDED = Set.of(
            "helloworld.yaml", "helloworld-gw.yaml", "helloworld-v2.yaml", "helloworld-v2-canary.yaml");

    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");

    private TutorialFiles() {}

    /** The content of the tutorial file {@code name}, e.g. {@code helloworld-v3.yaml}. */
    public static String read(String name) {
        return resource("tutorial/" + requireNonNull(name, "name"));
    }

    /** The tutorial files {@code names} by file name, for a commit. */
    public static Map<String, String> files(String... names) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : names) {
            files.put(name, read(name));
        }
        return files;
    }

    /** A file a user wrote himself, kept beside the tutorial's, e.g. {@code egress/whatismyip.yaml}. */
    public static String userFile(String path) {
        return resource(requireNonNull(path, "path"));
    }

    /**
     * {@code yaml} without the one document of {@code kind} named {@code name} (with its {@code ---} separator);
     * every other line unchanged. Fails when there is no such document.
     */
    public static String withoutDocument(String yaml, String kind, String name) {
        requireNonNull(yaml, "yaml");
        Pattern kindLine = Pattern.compile("(?m)^kind:\\s*\"?" + Pattern.quote(kind) + "\"?\\s*$");
        Pattern nameLine = Pattern.compile("(?m)^metadata:\\s*\\n\\s+name:\\s*\"?" + Pattern.quote(name) + "\"?\\s*$");
        List<String> documents = new ArrayList<>(List.of(SEPARATOR.split(yaml, -1)));
        for (int i = 0; i < documents.size(); i++) {
            String document = documents.get(i);
            if (kindLine.matcher(document).find() && nameLine.matcher(document).find()) {
                documents.remove(i);
                return String.join("---", documents);
            }
        }
        throw new IllegalArgumentException("no " + kind + " named " + name + " in:\n" + yaml);
    }

    /**
     * {@code yaml} with the label {@code key: value} added to its Namespace {@code namespace} (which must have no
     * labels yet); every other line unchanged.
     */
    public static String withNamespaceLabel(String yaml, String namespace, String key, String value) {
        String header = "kind: Namespace\nmetadata:\n  name: " + namespace + "\n";
        if (!yaml.contains(header)) {
            throw new IllegalArgumentException("no unlabelled Namespace " + namespace + " in:\n" + yaml);
        }
        return yaml.replace(header, header + "  labels:\n    " + key + ": " + value + "\n");
    }

    private static String resource(String path) {
        try (InputStream in = TutorialFiles.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("path: " + path + " (expected: a file of src/test/resources)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
