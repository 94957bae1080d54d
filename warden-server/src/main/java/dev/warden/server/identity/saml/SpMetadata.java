package dev.warden.server.identity.saml;

import static dev.warden.server.identity.saml.SamlXml.MD;
import static java.util.Objects.requireNonNull;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Warden's SAML service-provider metadata for one org, to be served at {@code GET /saml/{org}/metadata}
 * and pasted into the IdP: the SP entity id, one HTTP-POST assertion consumer service, email NameIDs,
 * signed assertions wanted, unsigned requests (see {@link AuthnRequests}).
 */
public final class SpMetadata {
    private SpMetadata() {}

    public static String xml(SamlSettings settings) {
        requireNonNull(settings, "settings is null");
        Document doc = SamlXml.newDocument();
        Element entity = doc.createElementNS(MD, "md:EntityDescriptor");
        entity.setAttributeNS(null, "entityID", settings.spEntityId());
        doc.appendChild(entity);

        Element sp = doc.createElementNS(MD, "md:SPSSODescriptor");
        sp.setAttributeNS(null, "AuthnRequestsSigned", "false");
        sp.setAttributeNS(null, "WantAssertionsSigned", "true");
        sp.setAttributeNS(null, "protocolSupportEnumeration", SamlXml.SAMLP);
        entity.appendChild(sp);

        Element format = doc.createElementNS(MD, "md:NameIDFormat");
        format.setTextContent(SamlResponseValidator.EMAIL_FORMAT);
        sp.appendChild(format);

        Element acs = doc.createElementNS(MD, "md:AssertionConsumerService");
        acs.setAttributeNS(null, "Binding", AuthnRequests.HTTP_POST_BINDING);
        acs.setAttributeNS(null, "Location", settings.acsUrl().toString());
        acs.setAttributeNS(null, "index", "0");
        acs.setAttributeNS(null, "isDefault", "true");
        sp.appendChild(acs);
        return SamlXml.serialize(doc, false);
    }
}
