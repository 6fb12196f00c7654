package dev.meshpilot.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The tutorial's YAML files, copied into the test resources. */
public final class Seed {
    public static final List<String> FILES = List.of("external-service.yaml", "helloworld-gw.yaml",
            "helloworld-jwt-enable.yaml", "helloworld-jwt.yaml", "helloworld-rbac-enable.yaml", "helloworld-rbac.yaml",
            "helloworld-tls-enable.yaml", "helloworld-tls-legacy.yaml", "helloworld-tls.yaml",
            "helloworld-v2-canary.yaml", "helloworld-v2-routing.yaml", "helloworld-v2.yaml", "helloworld-v3.yaml",
            "helloworld.yaml");

    private Seed() {}

    public static SourceFile file(String name) {
        try (InputStream in = Seed.class.getResourceAsStream("/istio/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no seed file " + name);
            }
            return new SourceFile(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<SourceFile> files(String... names) {
        List<SourceFile> out = new ArrayList<>();
        for (String n : names) {
            out.add(file(n));
        }
        return out;
    }

    /** The canary file with its VirtualService renamed so that it can live beside helloworld-gw.yaml. */
    public static SourceFile canaryRenamed() {
        SourceFile canary = file("helloworld-v2-canary.yaml");
        return new SourceFile(canary.path(), canary.content().replace("name: helloworld\n", "name: helloworld-canary\n"));
    }

    /**
     * The routing file with its VirtualService renamed to {@code helloworld-routing}: in the tutorial it
     * replaces helloworld-gw.yaml's VirtualService, in one repository both must have distinct names.
     */
    public static SourceFile routingRenamed() {
        SourceFile routing = file("helloworld-v2-routing.yaml");
        return new SourceFile(routing.path(), routing.content().replace("name: helloworld\n", "name: helloworld-routing\n"));
    }

    public static MeshSnapshot compile(List<SourceFile> files) {
        CompileResult result = MeshCompiler.compile("test", files);
        if (result.snapshot() == null) {
            throw new AssertionError("rejected: " + result.errors());
        }
        return result.snapshot();
    }
}
