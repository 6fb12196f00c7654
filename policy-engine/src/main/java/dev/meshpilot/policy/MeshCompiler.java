package dev.meshpilot.policy;

import java.util.List;

/** Loads, validates and compiles the YAML files of one commit into a {@link MeshSnapshot}. */
public final class MeshCompiler {

    private MeshCompiler() {}

    /**
     * Parses every file (multi-document YAML), analyzes the resources and, when no finding is an
     * error, compiles them. Never throws for bad input: everything wrong is a finding.
     *
     * @param version the version to stamp on the snapshot (the Git commit id)
     */
    public static CompileResult compile(String version, List<SourceFile> files) {
        throw new UnsupportedOperationException("being implemented");
    }
}
