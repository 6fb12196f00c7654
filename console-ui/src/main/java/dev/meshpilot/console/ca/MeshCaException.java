package dev.meshpilot.console.ca;

/** The mesh CA cannot start: a plugged-in CA failed its checks, or the root cannot be read or created. */
public final class MeshCaException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    MeshCaException(String message, Throwable cause) {
        super(message, cause);
    }
}
