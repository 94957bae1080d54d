package dev.warden.server.identity.saml;

import dev.warden.server.access.OrgId;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.Init;
import org.apache.xml.security.algorithms.MessageDigestAlgorithm;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A test identity provider: writes SAML responses from a {@link Spec}, signs them with Santuario like a
 * real IdP does (enveloped signature right after the Issuer, exclusive c14n, KeyInfo with the
 * certificate), and gives the DOM to tests that then tamper with it.
 */
final class TestIdp {
    static {
        Init.init();
    }

    static final String IDP_ENTITY = "https://idp.acme.test/saml";
    static final URI IDP_SSO = URI.create("https://idp.acme.test/sso");
    static final String SP_ENTITY = "https://warden.test/saml/acme";
    static final URI ACS = URI.create("https://warden.test/saml/acme/acs");
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String REQUEST_ID = "_request0123456789";
    static final String PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";
    static final String MFA_CLASS = "https://refeds.org/profile/mfa";

    static final String SAMLP = SamlXml.SAMLP;
    static final String SAML = SamlXml.SAML;
    static final String DS = SamlXml.DS;

    private TestIdp() {}

    static SamlSettings.Builder settings(OrgId org) {
        return SamlSettings.builder(org)
                .idp(IDP_ENTITY, IDP_SSO)
                .idpCertificate(TestKeys.IDP.certificate())
                .sp(SP_ENTITY, ACS)
                .mapAttribute("groups", "groups")
                .mapAttribute("urn:oid:2.5.4.11", "department");
    }

    /** What goes into a response; every field can be changed by a test, null leaves the item out. */
    static final class Spec {
        String responseId = "_response-" + java.util.UUID.randomUUID();
        String assertionId = "_assertion-" + java.util.UUID.randomUUID();
        String responseIssuer = IDP_ENTITY;
        String assertionIssuer = IDP_ENTITY;
        String destination = ACS.toString();
        String inResponseTo = REQUEST_ID;
        String confirmationInResponseTo = REQUEST_ID;
        String status = "urn:oasis:names:tc:SAML:2.0:status:Success";
        String nameId = "alice@acme.test";
        String nameIdFormat = SamlResponseValidator.EMAIL_FORMAT;
        String confirmationMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
        String recipient = ACS.toString();
        Instant issueInstant = NOW;
        Instant notBefore = NOW.minusSeconds(60);
        Instant notOnOrAfter = NOW.plusSeconds(300);
        Instant confirmationNotOnOrAfter = NOW.plusSeconds(300);
        String audience = SP_ENTITY;
        String classRef = PASSWORD_CLASS;
        String sessionIndex = "_session-1";
        /** The IdP's limit on the session it started; null leaves the attribute out. */
        Instant sessionNotOnOrAfter = null;
        boolean withAssertion = true;
        Map<String, List<String>> attributes = new LinkedHashMap<>(Map.of(
                "groups", List.of("analysts", "finance"),
                "urn:oid:2.5.4.11", List.of("Finance & Control")));
    }

    static String xml(Spec s) {
        StringBuilder x = new StringBuilder();
        x.append("<samlp:Response xmlns:samlp=\"").append(SAMLP).append("\" xmlns:saml=\"").append(SAML).append('"')
                .append(attr("ID", s.responseId)).append(attr("Version", "2.0"))
                .append(attr("IssueInstant", s.issueInstant)).append(attr("Destination", s.destination))
                .append(attr("InResponseTo", s.inResponseTo)).append('>');
        if (s.responseIssuer != null) {
            x.append("<saml:Issuer>").append(esc(s.responseIssuer)).append("</saml:Issuer>");
        }
        x.append("<samlp:Status><samlp:StatusCode").append(attr("Value", s.status)).append("/></samlp:Status>");
        if (s.withAssertion) {
            x.append(assertionXml(s));
        }
        return x.append("</samlp:Response>").toString();
    }

    private static String assertionXml(Spec s) {
        StringBuilder x = new StringBuilder();
        x.append("<saml:Assertion").append(attr("ID", s.assertionId)).append(attr("Version", "2.0"))
                .append(attr("IssueInstant", s.issueInstant)).append('>');
        x.append("<saml:Issuer>").append(esc(s.assertionIssuer)).append("</saml:Issuer>");
        x.append("<saml:Subject><saml:NameID").append(attr("Format", s.nameIdFormat)).append('>')
                .append(esc(s.nameId)).append("</saml:NameID>");
        x.append("<saml:SubjectConfirmation").append(attr("Method", s.confirmationMethod)).append(">")
                .append("<saml:SubjectConfirmationData").append(attr("InResponseTo", s.confirmationInResponseTo))
                .append(attr("NotOnOrAfter", s.confirmationNotOnOrAfter)).append(attr("Recipient", s.recipient))
                .append("/></saml:SubjectConfirmation></saml:Subject>");
        x.append("<saml:Conditions").append(attr("NotBefore", s.notBefore)).append(attr("NotOnOrAfter", s.notOnOrAfter)).append('>');
        if (s.audience != null) {
            x.append("<saml:AudienceRestriction><saml:Audience>").append(esc(s.audience))
                    .append("</saml:Audience></saml:AudienceRestriction>");
        }
        x.append("</saml:Conditions>");
        x.append("<saml:AuthnStatement").append(attr("AuthnInstant", s.issueInstant)).append(attr("SessionIndex", s.sessionIndex))
                .append(attr("SessionNotOnOrAfter", s.sessionNotOnOrAfter)).append("><saml:AuthnContext>");
        if (s.classRef != null) {
            x.append("<saml:AuthnContextClassRef>").append(esc(s.classRef)).append("</saml:AuthnContextClassRef>");
        }
        x.append("</saml:AuthnContext></saml:AuthnStatement>");
        if (!s.attributes.isEmpty()) {
            x.append("<saml:AttributeStatement>");
            s.attributes.forEach((name, values) -> {
                x.append("<saml:Attribute").append(attr("Name", name)).append('>');
                values.forEach(v -> x.append("<saml:AttributeValue>").append(esc(v)).append("</saml:AttributeValue>"));
                x.append("</saml:Attribute>");
            });
            x.append("</saml:AttributeStatement>");
        }
        return x.append("</saml:Assertion>").toString();
    }

    static Document document(Spec spec) {
        return parse(xml(spec));
    }

    /** A test-side parser: namespace aware, nothing else (the validator's own parser is the one under test). */
    static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Element response(Document doc) {
        return doc.getDocumentElement();
    }

    static Element assertion(Document doc) {
        return (Element) doc.getElementsByTagNameNS(SAML, "Assertion").item(0);
    }

    static Element first(Node root, String ns, String localName) {
        return (Element) (root instanceof Document d ? d.getElementsByTagNameNS(ns, localName)
                : ((Element) root).getElementsByTagNameNS(ns, localName)).item(0);
    }

    /** Signs {@code element} the way IdPs do: RSA-SHA256, SHA-256 digest, enveloped + exclusive c14n. */
    static Element sign(Element element, TestKeys.KeyPairAndCertificate key) {
        return sign(element, key, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256, MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256,
                "#" + element.getAttributeNS(null, "ID"));
    }

    static Element sign(Element element, TestKeys.KeyPairAndCertificate key, String signatureAlgorithm, String digestAlgorithm,
            String... referenceUris) {
        return sign(element, key, signatureAlgorithm, digestAlgorithm, (doc, transforms) -> {}, referenceUris);
    }

    interface ExtraTransforms {
        void add(Document doc, Transforms transforms) throws Exception;
    }

    /** Signs with full control; the signature goes right after the element's Issuer (or first). */
    static Element sign(Element element, TestKeys.KeyPairAndCertificate key, String signatureAlgorithm, String digestAlgorithm,
            ExtraTransforms extra, String... referenceUris) {
        try {
            Document doc = element.getOwnerDocument();
            markIds(doc);
            XMLSignature signature = new XMLSignature(doc, "", signatureAlgorithm, Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            Element issuer = first(element, SAML, "Issuer");
            Node before = issuer != null && issuer.getParentNode() == element ? issuer.getNextSibling() : element.getFirstChild();
            element.insertBefore(signature.getElement(), before);
            for (String uri : referenceUris) {
                Transforms transforms = new Transforms(doc);
                transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
                transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
                extra.add(doc, transforms);
                signature.addDocument(uri, transforms, digestAlgorithm);
            }
            signature.addKeyInfo(key.certificate());
            if (signatureAlgorithm.contains("hmac")) {
                signature.sign(new javax.crypto.spec.SecretKeySpec(key.certificate().getPublicKey().getEncoded(), "HmacSHA256"));
            } else {
                signature.sign(key.privateKey());
            }
            return signature.getElement();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a naive verifier would conclude: Santuario's own check of {@code signature} with the IdP's key,
     * every ID in the document resolvable, no rule about what is signed. Tests use it to show that an
     * attack document still carries a cryptographically valid signature.
     */
    static boolean naivelyVerifies(Element signature) {
        try {
            markIds(signature.getOwnerDocument());
            return new XMLSignature(signature, "", false).checkSignatureValue(TestKeys.IDP.certificate().getPublicKey());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets Santuario's signer find the Response and every Assertion by ID (the test side only). */
    static void markIds(Document doc) {
        var all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.hasAttributeNS(null, "ID")) {
                e.setIdAttributeNS(null, "ID", true);
            }
        }
    }

    static String serialize(Document doc) {
        try {
            Transformer t = TransformerFactory.newDefaultInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String encode(Document doc) {
        return encode(serialize(doc));
    }

    static String encode(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** A response whose assertion is signed by the IdP. */
    static Document signedAssertion(Spec spec) {
        Document doc = document(spec);
        sign(assertion(doc), TestKeys.IDP);
        return doc;
    }

    /** A response signed as a whole by the IdP, its assertion unsigned. */
    static Document signedResponse(Spec spec) {
        Document doc = document(spec);
        sign(response(doc), TestKeys.IDP);
        return doc;
    }

    private static String attr(String name, Object value) {
        return value == null ? "" : " " + name + "=\"" + esc(value.toString()) + "\"";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
