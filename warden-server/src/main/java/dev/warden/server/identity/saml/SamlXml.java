package dev.warden.server.identity.saml;

import dev.warden.server.identity.saml.SamlRejected.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The one place where SAML XML is parsed, read and written.
 *
 * <p>Parsing is hardened before anything else looks at the bytes: the JDK's own parser
 * ({@code newDefaultInstance}, never one found on the class path), a DOCTYPE is a fatal error (so no DTD,
 * no internal or external entity, no billion laughs), external entities, external DTDs, schemas and
 * XInclude off, secure processing on, element depth at most {@value #MAX_DEPTH}, and an entity resolver
 * that refuses everything should any of that ever be bypassed. Comments are kept in the tree on purpose:
 * {@link #wholeText} refuses an identity value that contains one.
 */
final class SamlXml {
    static final String SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
    static final String SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String MD = "urn:oasis:names:tc:SAML:2.0:metadata";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    static final int MAX_DEPTH = 64;

    private static final DocumentBuilderFactory FACTORY = secureFactory();

    private SamlXml() {}

    private static DocumentBuilderFactory secureFactory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        try {
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setIgnoringComments(false);
            f.setCoalescing(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute("jdk.xml.maxElementDepth", Integer.toString(MAX_DEPTH));
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the JDK's XML parser refuses a hardening setting", e);
        }
        return f;
    }

    /** Parses untrusted bytes, or refuses them ({@code DTD_FORBIDDEN} when they hold a DOCTYPE). */
    static Document parse(byte[] xml) throws SamlRejected {
        try {
            DocumentBuilder builder = newBuilder();
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not resolved");
            });
            builder.setErrorHandler(new ErrorHandler() { // no printing to stderr; every problem is fatal
                @Override
                public void warning(SAXParseException e) {}

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            InputSource source = new InputSource(new ByteArrayInputStream(xml));
            return builder.parse(source);
        } catch (SAXException | IOException e) {
            // Only the audit reason depends on this test; the document is refused either way.
            if (new String(xml, StandardCharsets.ISO_8859_1).contains("<!DOCTYPE")) {
                throw new SamlRejected(Reason.DTD_FORBIDDEN, "document has a DOCTYPE", e);
            }
            throw new SamlRejected(Reason.MALFORMED, "not well-formed XML", e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JAXP does not promise that a factory is thread-safe; builders are made one at a time. */
    private static DocumentBuilder newBuilder() throws ParserConfigurationException {
        synchronized (FACTORY) {
            return FACTORY.newDocumentBuilder();
        }
    }

    static Document newDocument() {
        try {
            return newBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String serialize(Document document, boolean omitDeclaration) {
        try {
            TransformerFactory tf = TransformerFactory.newDefaultInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "no");
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, omitDeclaration ? "yes" : "no");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean is(Node node, String ns, String localName) {
        return node instanceof Element e && ns.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName());
    }

    /** The direct element children of {@code parent} with this name, in document order. */
    static List<Element> children(Element parent, String ns, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (is(n, ns, localName)) {
                out.add((Element) n);
            }
        }
        return out;
    }

    /** The direct child with this name if there is one; two of them make the document malformed. */
    static Optional<Element> optionalChild(Element parent, String ns, String localName) throws SamlRejected {
        List<Element> found = children(parent, ns, localName);
        if (found.size() > 1) {
            throw new SamlRejected(Reason.MALFORMED, "more than one " + localName + " in " + parent.getLocalName());
        }
        return found.stream().findFirst();
    }

    static Element requiredChild(Element parent, String ns, String localName) throws SamlRejected {
        return optionalChild(parent, ns, localName)
                .orElseThrow(() -> new SamlRejected(Reason.MALFORMED, "no " + localName + " in " + parent.getLocalName()));
    }

    /** Every element with this name anywhere in the document, in document order. */
    static List<Element> everywhere(Document document, String ns, String localName) {
        NodeList list = document.getElementsByTagNameNS(ns, localName);
        List<Element> out = new ArrayList<>(list.getLength());
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    /** An unqualified attribute, absent when missing (an empty attribute is present and empty). */
    static Optional<String> attribute(Element element, String name) {
        return element.hasAttributeNS(null, name) ? Optional.of(element.getAttributeNS(null, name)) : Optional.empty();
    }

    /**
     * The whole text of an element that must hold text only, trimmed of surrounding whitespace.
     *
     * <p>Decision: an element with anything but text (and CDATA, which the parser merges into text) inside
     * is refused, not normalised. A comment in a NameID or attribute value is the signature-preserving trick
     * ({@code user@evil.com<!---->.attacker.com}: exclusive canonicalization drops the comment, so the
     * IdP's signature still verifies) that makes naive readers take the first text node; no IdP emits such
     * values, so refusing costs nothing and leaves no doubt about which value was meant.
     */
    static String wholeText(Element element) throws SamlRejected {
        StringBuilder text = new StringBuilder();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            switch (n.getNodeType()) {
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> text.append(n.getNodeValue());
                default -> throw new SamlRejected(Reason.UNEXPECTED_CONTENT,
                        element.getLocalName() + " holds a " + n.getNodeName() + ", not only text");
            }
        }
        return text.toString().strip();
    }
}
