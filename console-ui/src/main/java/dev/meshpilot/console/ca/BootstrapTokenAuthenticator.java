package dev.meshpilot.console.ca;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.BootstrapTokens;

/** Bootstrap tokens an operator issued ({@code POST /api/ca/bootstrap-tokens}), checked against their hashes. */
public final class BootstrapTokenAuthenticator implements CsrAuthenticator {

    private final BootstrapTokens tokens;

    public BootstrapTokenAuthenticator(BootstrapTokens tokens) {
        this.tokens = requireNonNull(tokens, "tokens");
    }

    @Override
    public CsrAuthentication authenticate(String token) {
        requireNonNull(token, "token");
        return tokens.authenticate(token)
                .<CsrAuthentication>map(grant -> new CsrAuthentication.Authenticated(grant.namespace(),
                        grant.serviceAccount(), "a bootstrap token"))
                .orElseGet(() -> new CsrAuthentication.Rejected("bootstrap token missing, unknown or expired "
                        + "(expected: Authorization: Bearer <bootstrap token>)"));
    }

    @Override
    public String accepts() {
        return "bootstrap token";
    }
}
