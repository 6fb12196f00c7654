package dev.meshpilot.proxy.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/** Key pairs and X.509 certificates of the mesh CA (BouncyCastle builders, JDK key and certificate objects). */
final class X509Builders {

    private static final SecureRandom RANDOM = new SecureRandom();

    private X509Builders() {}

    /** A fresh EC P-256 key pair. */
    static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key pair", e);
        }
    }

    /** A self-signed CA certificate (CA:true with the given path length, keyCertSign + cRLSign). */
    static X509Certificate selfSignedCa(KeyPair keys, String subject, Instant notBefore, Instant notAfter,
            int pathLen) {
        X500Name name = new X500Name(subject);
        return ca(name, keys.getPrivate(), null, name, keys.getPublic(), notBefore, notAfter, pathLen);
    }

    /** A CA certificate for {@code subjectKey} signed by an issuing CA. */
    static X509Certificate signedCa(X509Certificate issuer, PrivateKey issuerKey, PublicKey subjectKey,
            String subject, Instant notBefore, Instant notAfter, int pathLen) {
        return ca(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), issuerKey, issuer,
                new X500Name(subject), subjectKey, notBefore, notAfter, pathLen);
    }

    /**
     * A workload certificate: empty subject, critical URI SAN with the SPIFFE ID, digitalSignature + keyEncipherment,
     * serverAuth + clientAuth, CA:false.
     */
    static X509Certificate workload(X509Certificate issuer, PrivateKey issuerKey, PublicKey subjectKey, SpiffeId id,
            Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serialNumber(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name(new RDN[0]), subjectKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, true,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, id.toString())));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(issuer.getPublicKey()));
            return sign(builder, issuerKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + id, e);
        }
    }

    /** Whether {@code key} is the private key of {@code certificate} (signs a nonce and verifies it). */
    static boolean matches(X509Certificate certificate, PrivateKey key) {
        try {
            byte[] nonce = new byte[32];
            RANDOM.nextBytes(nonce);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate ca(X500Name issuerName, PrivateKey issuerKey, @Nullable X509Certificate issuer,
            X500Name subject, PublicKey subjectKey, Instant notBefore, Instant notAfter, int pathLen) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serialNumber(),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            if (issuer != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        utils.createAuthorityKeyIdentifier(issuer.getPublicKey()));
            }
            return sign(builder, issuerKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create CA certificate " + subject, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static BigInteger serialNumber() {
        return new BigInteger(128, RANDOM).setBit(127);
    }
}
