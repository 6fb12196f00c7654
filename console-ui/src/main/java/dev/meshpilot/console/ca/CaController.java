package dev.meshpilot.console.ca;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.BootstrapTokens;
import dev.meshpilot.proxy.identity.CsrRejectedException;
import dev.meshpilot.proxy.identity.CsrSigner;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/ca/bootstrap-tokens} (an operator, basic auth): a token for one {@code namespace/serviceAccount},
 * shown once. {@code POST /api/ca/csr} ({@code Authorization: Bearer <token>}, a bootstrap token or, in cluster mode,
 * a Kubernetes service account token; see {@link TokenKindAuthenticator}; body a PEM PKCS#10 request): 200 with the
 * certificate chain as {@code application/x-pem-file}, issued for the token's identity only; 401 with the reason for
 * a missing, unknown, expired or unauthenticated token, 403 for a request of another identity, 400 with the reason
 * for a malformed request, 503 when the token could not be checked (TokenReview failed: fail closed).
 */
@RestController
@RequestMapping("/api/ca")
public class CaController {

    static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");
    private static final Logger log = LoggerFactory.getLogger(CaController.class);

    private final CaAdministration administration;
    private final CsrSigner signer;
    private final CsrAuthenticator authenticator;

    public CaController(CaAdministration administration, CsrSigner signer, CsrAuthenticator authenticator) {
        this.administration = requireNonNull(administration, "administration");
        this.signer = requireNonNull(signer, "signer");
        this.authenticator = requireNonNull(authenticator, "authenticator");
    }

    /** What an operator asks for: {@code {"namespace":"ns","serviceAccount":"sa","ttl":"24h"}} (ttl optional). */
    public record TokenRequest(@Nullable String namespace, @Nullable String serviceAccount, @Nullable String ttl) {}

    @PostMapping("/bootstrap-tokens")
    public ResponseEntity<Map<String, String>> issue(@RequestBody TokenRequest request, Principal operator) {
        try {
            BootstrapTokens.Issued issued = administration.issueToken(operator.getName(), request.namespace(),
                    request.serviceAccount(), request.ttl());
            BootstrapTokens.Grant grant = issued.grant();
            return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("token", issued.token(),
                    "namespace", grant.namespace(), "serviceAccount", grant.serviceAccount(),
                    "expiresAt", grant.expiresAt().toString()));
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    @PostMapping("/csr")
    public ResponseEntity<String> csr(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
            @Nullable String authorization, @RequestBody(required = false) @Nullable String body) {
        Optional<String> token = bearer(authorization);
        CsrAuthentication authentication = token.isEmpty()
                ? new CsrAuthentication.Rejected("bearer token missing (expected: Authorization: Bearer <"
                        + authenticator.accepts() + ">)")
                : authenticator.authenticate(token.get());
        return switch (authentication) {
            case CsrAuthentication.Rejected rejected -> {
                log.info("Refused a CSR: {}", rejected.reason());
                yield ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                        .contentType(MediaType.TEXT_PLAIN).body(rejected.reason() + "\n");
            }
            case CsrAuthentication.Unavailable unavailable -> {
                log.warn("Refused a CSR, its token could not be checked: {}", unavailable.reason());
                yield ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                        .contentType(MediaType.TEXT_PLAIN).body(unavailable.reason() + "\n");
            }
            case CsrAuthentication.Authenticated identity -> sign(identity, body == null ? "" : body);
        };
    }

    private ResponseEntity<String> sign(CsrAuthentication.Authenticated identity, String csrPem) {
        try {
            String chain = signer.signPem(csrPem, identity.namespace(), identity.serviceAccount());
            log.info("Signed a workload certificate for {}/{} (CSR with {})", identity.namespace(),
                    identity.serviceAccount(), identity.method());
            return ResponseEntity.ok().contentType(PEM).body(chain);
        } catch (CsrRejectedException e) {
            HttpStatus status = e.reason() == CsrRejectedException.Reason.FORBIDDEN ? HttpStatus.FORBIDDEN
                    : HttpStatus.BAD_REQUEST;
            log.info("Refused a CSR for {}/{}: {}", identity.namespace(), identity.serviceAccount(), e.getMessage());
            return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(e.getMessage() + "\n");
        }
    }

    private static Optional<String> bearer(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
