package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

/** A certificate signing request the CA refuses: {@link Reason#MALFORMED} (HTTP 400), {@link Reason#FORBIDDEN} (403). */
public final class CsrRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason { MALFORMED, FORBIDDEN }

    private final Reason reason;

    public CsrRejectedException(Reason reason, String message) {
        super(message);
        this.reason = requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
