package dev.meshpilot.console.ca;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link CsrAuthenticator} made of a bearer token: the identity certificates may be issued for
 * ({@link Authenticated}), a token that proves nothing (HTTP 401 with the reason) or an authority that could not be
 * asked (HTTP 503; fail closed, never a pass).
 */
public sealed interface CsrAuthentication {

    /** The caller is {@code namespace/serviceAccount}, as proven by {@code method} (for the log). */
    record Authenticated(String namespace, String serviceAccount, String method) implements CsrAuthentication {
        public Authenticated {
            requireNonNull(namespace, "namespace");
            requireNonNull(serviceAccount, "serviceAccount");
            requireNonNull(method, "method");
        }
    }

    /** The token is unknown, expired, not for the CA or not a workload's: 401 with {@code reason}. */
    record Rejected(String reason) implements CsrAuthentication {
        public Rejected {
            requireNonNull(reason, "reason");
        }
    }

    /** The token could not be checked (e.g. the TokenReview API failed): 503 with {@code reason}. */
    record Unavailable(String reason) implements CsrAuthentication {
        public Unavailable {
            requireNonNull(reason, "reason");
        }
    }
}
