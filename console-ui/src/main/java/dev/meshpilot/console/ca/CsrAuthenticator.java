package dev.meshpilot.console.ca;

/**
 * Who sends a CSR, from the bearer token of {@code POST /api/ca/csr}. Implementations:
 * {@link BootstrapTokenAuthenticator} (tokens an operator issued), {@code kube.TokenReviewAuthenticator} (Kubernetes
 * service account tokens), and {@link TokenKindAuthenticator} choosing between them by the token's shape.
 */
public interface CsrAuthenticator {

    /** The identity {@code token} proves; never throws for a bad token. */
    CsrAuthentication authenticate(String token);

    /** The tokens accepted, for messages: e.g. {@code bootstrap token}. */
    String accepts();
}
