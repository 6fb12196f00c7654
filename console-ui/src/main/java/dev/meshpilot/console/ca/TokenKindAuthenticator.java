package dev.meshpilot.console.ca;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Sends each bearer token to the authority that issued its kind: a JWT ({@code header.payload.signature}, three
 * non-empty base64url parts: what Kubernetes projects into pods as service account tokens) to the service account
 * authenticator (TokenReview, cluster mode only), anything else to the bootstrap tokens. The two kinds cannot be
 * confused: a bootstrap token is 43 base64url characters without a dot. No token is ever tried against both, so a
 * TokenReview outage cannot be bypassed with a guess at the other store, and a JWT is never looked up in the
 * bootstrap store.
 */
public final class TokenKindAuthenticator implements CsrAuthenticator {

    private final CsrAuthenticator bootstrap;
    private final @Nullable CsrAuthenticator serviceAccounts;

    /** {@code serviceAccounts} is null outside cluster mode: a JWT is then refused with a reason. */
    public TokenKindAuthenticator(CsrAuthenticator bootstrap, @Nullable CsrAuthenticator serviceAccounts) {
        this.bootstrap = requireNonNull(bootstrap, "bootstrap");
        this.serviceAccounts = serviceAccounts;
    }

    @Override
    public CsrAuthentication authenticate(String token) {
        requireNonNull(token, "token");
        if (!looksLikeJwt(token)) {
            return bootstrap.authenticate(token);
        }
        if (serviceAccounts == null) {
            return new CsrAuthentication.Rejected("a service account token (JWT) needs cluster mode (--kubernetes); "
                    + "expected: Authorization: Bearer <" + bootstrap.accepts() + ">");
        }
        return serviceAccounts.authenticate(token);
    }

    @Override
    public String accepts() {
        return serviceAccounts == null ? bootstrap.accepts()
                : bootstrap.accepts() + " or " + serviceAccounts.accepts();
    }

    /** Three non-empty parts of base64url characters separated by dots. */
    static boolean looksLikeJwt(String token) {
        int parts = 1;
        int partLength = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (partLength == 0) {
                    return false;
                }
                parts++;
                partLength = 0;
            } else if (isBase64Url(c)) {
                partLength++;
            } else {
                return false;
            }
        }
        return parts == 3 && partLength > 0;
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
