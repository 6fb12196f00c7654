package dev.meshpilot.proxy.echo;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tutorial's auth service: {@code POST /login} and {@code /.well-known/jwks.json}. */
class EchoLoginTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final HttpEcho echo = new HttpEcho("127.0.0.1", Map.of("TEXT", "auth"), null, EchoKeys.generate());

    @AfterEach
    void close() {
        echo.close();
        client.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + echo.address().getPort() + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loginAnswersAnRs256TokenWithTheTutorialsClaimsValidFor72Hours() throws Exception {
        Instant before = Instant.now();
        HttpResponse<String> response = send("POST", "/login", "{\"login\": \"edward\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("JWT token: ");
        SignedJWT jwt = SignedJWT.parse(response.body().substring("JWT token: ".length()));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("mykey");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("http-echo@http-echo.kubernetes.newtech.academy");
        assertThat(claims.getSubject()).isEqualTo("http-echo@http-echo.kubernetes.newtech.academy");
        assertThat(claims.getStringClaim("login")).isEqualTo("edward");
        assertThat(claims.getIssueTime().toInstant()).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(72));

        JWKSet keys = JWKSet.parse(send("GET", "/.well-known/jwks.json", "").body());
        RSAKey key = (RSAKey) keys.getKeyByKeyId("mykey");
        assertThat(key.isPrivate()).isFalse();
        assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(key.size()).isEqualTo(2048);
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
    }

    @Test
    void badJsonOrMissingLoginIs400() throws Exception {
        assertThat(send("POST", "/login", "{login").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/login", "").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/login", "{\"user\": \"x\"}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/login", "{\"login\": 42}").statusCode()).isEqualTo(400);
    }

    @Test
    void everyOtherRequestStillEchoesText() throws Exception {
        assertThat(send("GET", "/", "").body()).isEqualTo("auth");
        assertThat(send("GET", "/login", "").body()).isEqualTo("auth");
        assertThat(send("POST", "/other", "{\"login\": \"x\"}").body()).isEqualTo("auth");
    }

    @Test
    void instancesOfOneDeploymentShareTheKeyAndDeploymentsDoNot() {
        EchoKeys a = EchoKeys.forDeployment("login-test", "auth");
        assertThat(EchoKeys.forDeployment("login-test", "auth")).isSameAs(a);
        assertThat(EchoKeys.forDeployment("login-test", "auth").rsaKey()).isSameAs(a.rsaKey());
        assertThat(EchoKeys.forDeployment("login-test-2", "auth").rsaKey().getModulus())
                .isNotEqualTo(a.rsaKey().getModulus());
    }
}
