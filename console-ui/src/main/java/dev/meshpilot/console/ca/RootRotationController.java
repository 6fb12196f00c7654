package dev.meshpilot.console.ca;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.RootRotation;
import dev.meshpilot.proxy.identity.WorkloadCertificateAuthority;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Root rotation for operators (basic auth like the rest of {@code /api}), see
 * {@link WorkloadCertificateAuthority#rotateRoot()}: {@code POST /api/ca/root-rotation} creates a new root, trusts
 * both, re-issues every workload certificate from the new one and answers 201 with the rotation; {@code GET} shows
 * the rotation in progress (or the single root); {@code DELETE} retires the previous root at once (the operator knows
 * no certificate of it is in use any more; otherwise it retires when its last certificate expires). 409 with the
 * reason for a plugged-in CA (rotate it by replacing its files), a second rotation, or a DELETE without one.
 */
@RestController
@RequestMapping("/api/ca/root-rotation")
public class RootRotationController {

    private final WorkloadCertificateAuthority ca;
    private final CaAdministration administration;

    public RootRotationController(WorkloadCertificateAuthority ca, CaAdministration administration) {
        this.ca = requireNonNull(ca, "ca");
        this.administration = requireNonNull(administration, "administration");
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> rotate(Principal operator) {
        try {
            RootRotation rotation = administration.rotateRoot(operator.getName());
            return ResponseEntity.status(HttpStatus.CREATED).body(describe(rotation));
        } catch (IllegalStateException e) {
            return conflict(String.valueOf(e.getMessage()));
        }
    }

    @GetMapping
    public Map<String, Object> status() {
        Optional<RootRotation> rotation = ca.rootRotation();
        if (rotation.isPresent()) {
            return describe(rotation.get());
        }
        return Map.of("rotating", false, "root", describe(ca.rootCertificate()), "rotatable", ca.rootRotatable());
    }

    @DeleteMapping
    public ResponseEntity<Map<String, Object>> finish(Principal operator) {
        Optional<RootRotation> finished = administration.retirePreviousRoot(operator.getName());
        if (finished.isEmpty()) {
            return conflict("no root rotation in progress (expected: POST /api/ca/root-rotation first)");
        }
        Map<String, Object> body = describe(finished.get());
        body.put("rotating", false);
        return ResponseEntity.ok(body);
    }

    private static ResponseEntity<Map<String, Object>> conflict(String reason) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", reason));
    }

    private static Map<String, Object> describe(RootRotation rotation) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rotating", true);
        body.put("previousRoot", describe(rotation.previousRoot()));
        body.put("newRoot", describe(rotation.newRoot()));
        body.put("startedAt", rotation.startedAt().toString());
        body.put("previousRootRetiresAt", rotation.previousRootRetiresAt().toString());
        return body;
    }

    private static Map<String, String> describe(X509Certificate root) {
        return Map.of("subject", root.getSubjectX500Principal().getName(),
                "serial", root.getSerialNumber().toString(16));
    }
}
