package dev.meshpilot.console.ca;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link MeshCaException} into Spring Boot's "APPLICATION FAILED TO START" report: the reason, what to do. */
public final class MeshCaFailureAnalyzer extends AbstractFailureAnalyzer<MeshCaException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MeshCaException cause) {
        return new FailureAnalysis("The mesh CA cannot start: " + cause.getMessage(),
                "Fix the file named above, or start without --ca-certs (meshpilot.ca-certs) to use the mesh root of "
                        + "the data directory.", cause);
    }
}
