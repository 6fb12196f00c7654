package dev.meshpilot.console.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each bearer token goes to exactly one authority, chosen by its shape. */
class TokenKindAuthenticatorTest {

    static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6c2hvcDpyZXZpZXdzIn0.c2ln";
    static final String BOOTSTRAP = "q3H8n0cZ0o2Vt1aWJm3p9kq2Yd7xQ4sLr5uE6wT8yA0"; // 32 bytes, base64url

    /** An authority that records what it was asked and answers as {@code name}. */
    static final class Recording implements CsrAuthenticator {
        final String name;
        final List<String> asked = new ArrayList<>();

        Recording(String name) {
            this.name = name;
        }

        @Override
        public CsrAuthentication authenticate(String token) {
            asked.add(token);
            return new CsrAuthentication.Authenticated("shop", "reviews", name);
        }

        @Override
        public String accepts() {
            return name;
        }
    }

    final Recording bootstrap = new Recording("bootstrap token");
    final Recording serviceAccounts = new Recording("service account token");

    @Test
    void aJwtGoesToTokenReviewAndEverythingElseToTheBootstrapStore() {
        TokenKindAuthenticator authenticator = new TokenKindAuthenticator(bootstrap, serviceAccounts);

        authenticator.authenticate(JWT);
        authenticator.authenticate(BOOTSTRAP);
        authenticator.authenticate("a.b");
        authenticator.authenticate("a..c");

        assertThat(serviceAccounts.asked).containsExactly(JWT);
        assertThat(bootstrap.asked).containsExactly(BOOTSTRAP, "a.b", "a..c");
        assertThat(authenticator.accepts()).isEqualTo("bootstrap token or service account token");
    }

    @Test
    void outsideClusterModeAJwtIsRefusedWithTheReasonAndNeverLookedUp() {
        TokenKindAuthenticator authenticator = new TokenKindAuthenticator(bootstrap, null);

        assertThat(authenticator.authenticate(JWT)).isEqualTo(new CsrAuthentication.Rejected(
                "a service account token (JWT) needs cluster mode (--kubernetes); expected: Authorization: Bearer "
                        + "<bootstrap token>"));
        assertThat(bootstrap.asked).isEmpty();
        assertThat(authenticator.accepts()).isEqualTo("bootstrap token");
    }

    @Test
    void recognisesJwtsByThreeNonEmptyBase64UrlParts() {
        assertThat(TokenKindAuthenticator.looksLikeJwt(JWT)).isTrue();
        assertThat(TokenKindAuthenticator.looksLikeJwt("a-_.b.c9")).isTrue();
        for (String other : List.of("", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.", "a.b+.c", "a.b.c=", BOOTSTRAP)) {
            assertThat(TokenKindAuthenticator.looksLikeJwt(other)).as(other).isFalse();
        }
    }
}
