package dev.meshpilot.policy;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.policy.internal.CompiledSnapshot;
import dev.meshpilot.policy.internal.Findings;
import dev.meshpilot.policy.internal.MeshModel;
import dev.meshpilot.policy.internal.ReferenceChecks;
import dev.meshpilot.policy.internal.Resource;
import dev.meshpilot.policy.internal.ResourceLoader;
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
        requireNonNull(version, "version");
        requireNonNull(files, "files");
        Findings findings = new Findings();
        try {
            List<Resource> resources = ResourceLoader.load(files, findings);
            MeshModel model = MeshModel.build(resources, findings);
            ReferenceChecks.check(model, findings);
            if (findings.hasErrors()) {
                return new CompileResult(null, findings.list());
            }
            return new CompileResult(new CompiledSnapshot(version, model), findings.list());
        } catch (RuntimeException | StackOverflowError e) {
            findings.add("MP0000", Severity.ERROR, null, 0, null, null,
                    "internal error while compiling (please report it): " + e);
            return new CompileResult(null, findings.list());
        }
    }
}
