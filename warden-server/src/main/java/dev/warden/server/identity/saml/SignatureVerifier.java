package dev.warden.server.identity.saml;

import static dev.warden.server.identity.saml.SamlXml.DS;
import static dev.warden.server.identity.saml.SamlXml.attribute;
import static dev.warden.server.identity.saml.SamlXml.children;
import static dev.warden.server.identity.saml.SamlXml.is;

import dev.warden.server.identity.saml.SamlRejected.Reason;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.xml.security.Init;
import org.apache.xml.security.algorithms.MessageDigestAlgorithm;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.signature.reference.ReferenceData;
import org.apache.xml.security.signature.reference.ReferenceSubTreeData;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks that one ds:Signature signs exactly the element that contains it, with a trusted key and allowed
 * algorithms. Santuario does the cryptography; this class decides what is acceptable around it:
 *
 * <ul>
 *   <li>the signature is enveloped: a direct child of the element it signs, and its only Reference has
 *       the URI {@code #} + that element's ID; the element is the one the caller registered as an ID
 *       ({@code setIdAttributeNS}), and after verification the subtree Santuario digested is checked to be
 *       that same DOM node, so what was verified is what the caller reads;
 *   <li>SignatureMethod RSA or ECDSA with SHA-256, -384 or -512; DigestMethod SHA-256, -384 or -512;
 *       CanonicalizationMethod and transforms exclusive c14n (with or without comments) and
 *       enveloped-signature only, at most two transforms. SHA-1, MD5, HMAC (a public key used as an HMAC
 *       secret), XPath, XSLT and everything else are refused before any cryptography runs;
 *   <li>the key is one of the org's configured IdP certificates, tried in turn. KeyInfo is never read,
 *       so a certificate or key placed in the document selects and proves nothing;
 *   <li>Santuario runs in secure-validation mode, never follows Manifests, and has no resolver but the
 *       same-document one (the URI was checked to be a bare fragment before it is constructed).
 * </ul>
 */
final class SignatureVerifier {
    static {
        Init.init();
    }

    static final Set<String> SIGNATURE_ALGORITHMS = Set.of(
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA384,
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA512,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA384,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA512);
    static final Set<String> DIGEST_ALGORITHMS = Set.of(
            MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256,
            MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA384,
            MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA512);
    static final Set<String> CANONICALIZATIONS = Set.of(
            Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS,
            Canonicalizer.ALGO_ID_C14N_EXCL_WITH_COMMENTS);
    static final Set<String> TRANSFORMS = Set.of(
            Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
            Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS,
            Transforms.TRANSFORM_C14N_EXCL_WITH_COMMENTS);
    private static final int MAX_TRANSFORMS = 2;

    private SignatureVerifier() {}

    /**
     * Verifies {@code signature}, which must be a direct child of {@code signed} and sign exactly it.
     * {@code signed}'s ID attribute must already be registered as the document's only ID of that value.
     */
    static void verify(Element signature, Element signed, List<X509Certificate> trusted) throws SamlRejected {
        if (signature.getParentNode() != signed) {
            throw new SamlRejected(Reason.UNEXPECTED_STRUCTURE, "signature is not a child of the element it must sign");
        }
        String id = attribute(signed, "ID").orElse("");
        if (id.isEmpty() || signed.getOwnerDocument().getElementById(id) != signed) {
            throw new SamlRejected(Reason.BAD_REFERENCE, signed.getLocalName() + " has no usable ID");
        }
        checkShape(signature, id, signed.getLocalName());

        List<String> failures = new ArrayList<>();
        for (X509Certificate certificate : trusted) {
            try {
                // A fresh instance per key: Santuario caches dereferenced content on the instance.
                XMLSignature xmlSignature = new XMLSignature(signature, "", true);
                xmlSignature.setFollowNestedManifests(false);
                SignedInfo signedInfo = xmlSignature.getSignedInfo();
                if (signedInfo.getLength() != 1 || !("#" + id).equals(signedInfo.item(0).getURI())) {
                    throw new SamlRejected(Reason.BAD_REFERENCE, "Santuario sees another reference than the DOM check");
                }
                if (xmlSignature.checkSignatureValue(certificate.getPublicKey())) {
                    // Santuario builds new Reference objects while verifying: ask for the one it used.
                    requireDigestedNode(xmlSignature.getSignedInfo().item(0), signed);
                    return;
                }
                failures.add("key " + certificate.getSubjectX500Principal().getName() + ": signature or digest mismatch");
            } catch (XMLSecurityException | RuntimeException e) {
                failures.add("key " + certificate.getSubjectX500Principal().getName() + ": " + e.getClass().getSimpleName());
            }
        }
        throw new SamlRejected(Reason.SIGNATURE_INVALID,
                "signature on " + signed.getLocalName() + " not verified by any configured certificate: " + failures);
    }

    /** After a successful check: the subtree that was digested is the very node the caller will read. */
    private static void requireDigestedNode(Reference reference, Element signed) throws SamlRejected {
        ReferenceData data = reference.getReferenceData();
        if (!(data instanceof ReferenceSubTreeData subtree) || subtree.getRoot() != signed) {
            throw new SamlRejected(Reason.UNEXPECTED_STRUCTURE, "the verified reference is not the element that is read");
        }
    }

    /** The structure and algorithms, read from the DOM before Santuario sees the signature. */
    private static void checkShape(Element signature, String id, String signedName) throws SamlRejected {
        Element signedInfo = firstElementChild(signature);
        if (signedInfo == null || !is(signedInfo, DS, "SignedInfo")) {
            throw new SamlRejected(Reason.MALFORMED, "Signature does not start with SignedInfo");
        }
        int canonicalizations = 0;
        int signatureMethods = 0;
        List<Element> references = new ArrayList<>();
        for (Node n = signedInfo.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                if (is(e, DS, "CanonicalizationMethod")) {
                    canonicalizations++;
                    requireAllowed(CANONICALIZATIONS, e, "CanonicalizationMethod");
                } else if (is(e, DS, "SignatureMethod")) {
                    signatureMethods++;
                    requireAllowed(SIGNATURE_ALGORITHMS, e, "SignatureMethod");
                } else if (is(e, DS, "Reference")) {
                    references.add(e);
                } else {
                    throw new SamlRejected(Reason.MALFORMED, "unexpected " + e.getNodeName() + " in SignedInfo");
                }
            }
        }
        if (canonicalizations != 1 || signatureMethods != 1) {
            throw new SamlRejected(Reason.MALFORMED, "SignedInfo needs one CanonicalizationMethod and one SignatureMethod");
        }
        if (references.size() != 1) {
            throw new SamlRejected(Reason.BAD_REFERENCE, references.size() + " references in the signature on " + signedName);
        }
        Element reference = references.get(0);
        String uri = attribute(reference, "URI").orElse("");
        if (!uri.equals("#" + id)) {
            throw new SamlRejected(Reason.BAD_REFERENCE,
                    "signature on " + signedName + " references '" + uri + "', not its own ID");
        }
        List<Element> transformsElements = children(reference, DS, "Transforms");
        if (transformsElements.size() > 1) {
            throw new SamlRejected(Reason.FORBIDDEN_TRANSFORM, "more than one Transforms element");
        }
        if (!transformsElements.isEmpty()) {
            int count = 0;
            for (Node n = transformsElements.get(0).getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    if (!is(e, DS, "Transform") || !TRANSFORMS.contains(attribute(e, "Algorithm").orElse(""))) {
                        throw new SamlRejected(Reason.FORBIDDEN_TRANSFORM,
                                "transform not allowed: " + attribute(e, "Algorithm").orElse(e.getNodeName()));
                    }
                    if (++count > MAX_TRANSFORMS) {
                        throw new SamlRejected(Reason.FORBIDDEN_TRANSFORM, "more than " + MAX_TRANSFORMS + " transforms");
                    }
                }
            }
        }
        List<Element> digestMethods = children(reference, DS, "DigestMethod");
        if (digestMethods.size() != 1) {
            throw new SamlRejected(Reason.MALFORMED, "Reference needs one DigestMethod");
        }
        requireAllowed(DIGEST_ALGORITHMS, digestMethods.get(0), "DigestMethod");
    }

    private static void requireAllowed(Set<String> allowed, Element method, String what) throws SamlRejected {
        String algorithm = attribute(method, "Algorithm").orElse("");
        if (!allowed.contains(algorithm)) {
            throw new SamlRejected(Reason.ALGORITHM_NOT_ALLOWED, what + " not allowed: " + algorithm);
        }
    }

    private static Element firstElementChild(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }
}
