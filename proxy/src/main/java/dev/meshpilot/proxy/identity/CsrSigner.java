package dev.meshpilot.proxy.identity;

import static java.util.Objects.requireNonNull;

import dev.meshpilot.proxy.identity.CsrRejectedException.Reason;
import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Signs PKCS#10 requests of out-of-process sidecars (Istio's CSR flow): the request must be signed with the key it
 * carries (proof of possession); the certificate is issued for the SPIFFE ID the caller was authenticated as (its
 * bootstrap token's), with the CA's usual lifetime and chain. The subject and SAN requests are not copied into the
 * certificate; a request that asks for another SPIFFE ID is refused (403) rather than silently narrowed.
 */
public final class CsrSigner {

    /** Largest CSR accepted, in characters of PEM. */
    public static final int MAX_PEM_CHARS = 16 * 1024;

    private final WorkloadCertificateAuthority ca;

    public CsrSigner(WorkloadCertificateAuthority ca) {
        this.ca = requireNonNull(ca, "ca");
    }

    /**
     * The certificate chain (leaf first, without the root) for the key of {@code csrPem}, issued to
     * {@code spiffe://<trust domain>/ns/<namespace>/sa/<serviceAccount>} (the caller's authenticated identity).
     */
    public List<X509Certificate> sign(String csrPem, String namespace, String serviceAccount)
            throws CsrRejectedException {
        requireNonNull(csrPem, "csrPem");
        SpiffeId authorized = new SpiffeId(ca.trustDomain(), namespace, serviceAccount);
        JcaPKCS10CertificationRequest csr = parse(csrPem);
        PublicKey key = publicKey(csr);
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new CsrRejectedException(Reason.MALFORMED,
                        "csr: signature does not verify with the request's public key (expected: signed with it)");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new CsrRejectedException(Reason.MALFORMED, "csr: cannot verify the signature: " + e.getMessage());
        }
        for (String uri : requestedUris(csr)) {
            if (!uri.equals(authorized.toString())) {
                throw new CsrRejectedException(Reason.FORBIDDEN, "csr: requests URI SAN " + uri
                        + " (expected: " + authorized + ", the identity the caller authenticated as)");
            }
        }
        return ca.issueChain(key, authorized, ca.workloadTtl());
    }

    /** {@link #sign} as PEM: the leaf first, then the intermediates. */
    public String signPem(String csrPem, String namespace, String serviceAccount) throws CsrRejectedException {
        return PemFiles.toPem(sign(csrPem, namespace, serviceAccount));
    }

    private static JcaPKCS10CertificationRequest parse(String pem) throws CsrRejectedException {
        if (pem.length() > MAX_PEM_CHARS) {
            throw new CsrRejectedException(Reason.MALFORMED,
                    "csr: " + pem.length() + " characters (expected: at most " + MAX_PEM_CHARS + ")");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object instanceof PKCS10CertificationRequest request) {
                return new JcaPKCS10CertificationRequest(request);
            }
            throw new CsrRejectedException(Reason.MALFORMED, "csr: " + (object == null ? "no PEM block" : "a "
                    + object.getClass().getSimpleName()) + " (expected: a PEM CERTIFICATE REQUEST)");
        } catch (IOException | RuntimeException e) {
            throw new CsrRejectedException(Reason.MALFORMED, "csr: not a PEM CERTIFICATE REQUEST: " + e.getMessage());
        }
    }

    private static PublicKey publicKey(JcaPKCS10CertificationRequest csr) throws CsrRejectedException {
        PublicKey key;
        try {
            key = csr.getPublicKey();
        } catch (Exception e) {
            throw new CsrRejectedException(Reason.MALFORMED, "csr: unreadable public key: " + e.getMessage());
        }
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() >= 256) {
            return key;
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048) {
            return key;
        }
        throw new CsrRejectedException(Reason.MALFORMED, "csr: " + key.getAlgorithm()
                + " key too weak or unsupported (expected: EC P-256 or stronger, or RSA of 2048 bits or more)");
    }

    /** The URI subject alternative names the request asks for (extensionRequest attribute). */
    private static List<String> requestedUris(PKCS10CertificationRequest csr) throws CsrRejectedException {
        List<String> uris = new ArrayList<>();
        try {
            for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                for (var value : attribute.getAttrValues()) {
                    GeneralNames names = GeneralNames.fromExtensions(Extensions.getInstance(value),
                            Extension.subjectAlternativeName);
                    if (names == null) {
                        continue;
                    }
                    for (GeneralName name : names.getNames()) {
                        if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
                            uris.add(name.getName().toString());
                        }
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CsrRejectedException(Reason.MALFORMED, "csr: unreadable extension request: " + e.getMessage());
        }
        return uris;
    }
}
