package dev.meshpilot.proxy.identity;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 requests as an out-of-process sidecar makes them (BouncyCastle). */
public final class Csrs {

    private Csrs() {}

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR for {@code key} with subject {@code subject} and URI SANs {@code uris}, signed by {@code signer}. */
    public static String pem(PublicKey key, PrivateKey signer, String subject, String... uris) {
        try {
            JcaPKCS10CertificationRequestBuilder builder =
                    new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key);
            if (uris.length > 0) {
                GeneralName[] names = new GeneralName[uris.length];
                for (int i = 0; i < uris.length; i++) {
                    names[i] = new GeneralName(GeneralName.uniformResourceIdentifier, uris[i]);
                }
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            return toPem(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(KeyPair keys, String subject, String... uris) {
        return pem(keys.getPublic(), keys.getPrivate(), subject, uris);
    }

    private static String toPem(Object object) throws java.io.IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
