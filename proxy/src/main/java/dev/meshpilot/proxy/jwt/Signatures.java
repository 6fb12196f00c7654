package dev.meshpilot.proxy.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/** Signature checks with public keys only: RSA (RS*, PS*), EC (ES*, curve per algorithm), Ed25519 (JDK). */
final class Signatures {

    /** DER prefix of an X.509 SubjectPublicKeyInfo holding a raw 32-byte Ed25519 key. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Signatures() {}

    static boolean verify(SignedJWT jwt, JWK key) {
        try {
            if (key instanceof RSAKey rsa) {
                return jwt.verify(new RSASSAVerifier(rsa.toPublicJWK()));
            }
            if (key instanceof ECKey ec) {
                JWSVerifier verifier = new ECDSAVerifier(ec.toPublicJWK());
                return verifier.supportedJWSAlgorithms().contains(jwt.getHeader().getAlgorithm()) && jwt.verify(verifier);
            }
            if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
                return verifyEd25519(jwt, okp);
            }
            return false;
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private static boolean verifyEd25519(SignedJWT jwt, OctetKeyPair okp) {
        byte[] raw = okp.getDecodedX();
        if (raw.length != 32) {
            return false;
        }
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
        try {
            PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(publicKey);
            signature.update(jwt.getSigningInput());
            return signature.verify(jwt.getSignature().decode());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
