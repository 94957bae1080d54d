package dev.warden.server.identity.saml;

import static dev.warden.server.identity.saml.SamlXml.SAML;
import static dev.warden.server.identity.saml.SamlXml.SAMLP;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.Deflater;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Starts a sign-in: an AuthnRequest for the HTTP-Redirect binding (raw DEFLATE, base64, URL-encoded in
 * the {@code SAMLRequest} query parameter of the IdP's SSO URL).
 *
 * <p>Requests are not signed. What protects the sign-in is on the response side: the response must be
 * signed by the IdP and answer a request id that this deployment issued for this org and that is used
 * once ({@link RequestIdStore}). An unsigned request only lets someone start a sign-in at the IdP,
 * which anyone can do by visiting the sign-in page. The SP metadata says so ({@code AuthnRequestsSigned="false"}).
 *
 * <p>When the org requires MFA, the request also asks the IdP for one of the required
 * AuthnContextClassRef values (RequestedAuthnContext, comparison exact); the response is checked either way.
 */
public final class AuthnRequests {
    /** How long a request id stays acceptable: the caller stores it with {@link Redirect#expiresAt()}. */
    public static final Duration REQUEST_LIFETIME = Duration.ofMinutes(10);
    /** SAML bindings 3.4.3: RelayState must not exceed 80 bytes. */
    public static final int MAX_RELAY_STATE_BYTES = 80;

    static final String HTTP_POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    private static final int ID_BYTES = 20;

    /**
     * Where to send the browser, and the request id to remember for this org until {@code expiresAt}
     * (with {@link RequestIdStore#remember}).
     */
    public record Redirect(URI url, String requestId, Instant issuedAt, Instant expiresAt) {
        public Redirect {
            requireNonNull(url, "url is null");
            requireNonNull(requestId, "requestId is null");
            requireNonNull(issuedAt, "issuedAt is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }
    }

    private final SecureRandom random;

    public AuthnRequests() {
        this(new SecureRandom());
    }

    AuthnRequests(SecureRandom random) {
        this.random = requireNonNull(random, "random is null");
    }

    public Redirect redirect(SamlSettings settings, Instant now, Optional<String> relayState) {
        requireNonNull(settings, "settings is null");
        requireNonNull(now, "now is null");
        requireNonNull(relayState, "relayState is null");
        relayState.ifPresent(r -> {
            if (r.getBytes(StandardCharsets.UTF_8).length > MAX_RELAY_STATE_BYTES) {
                throw new IllegalArgumentException("RelayState is longer than " + MAX_RELAY_STATE_BYTES + " bytes");
            }
        });
        byte[] idBytes = new byte[ID_BYTES];
        random.nextBytes(idBytes);
        String id = "_" + HexFormat.of().formatHex(idBytes);
        Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);

        String xml = SamlXml.serialize(authnRequest(settings, id, issuedAt), true);
        String encoded = Base64.getEncoder().encodeToString(deflate(xml.getBytes(StandardCharsets.UTF_8)));
        String sso = settings.idpSsoUrl().toString();
        StringBuilder url = new StringBuilder(sso)
                .append(settings.idpSsoUrl().getRawQuery() == null ? '?' : '&')
                .append("SAMLRequest=").append(URLEncoder.encode(encoded, StandardCharsets.UTF_8));
        relayState.ifPresent(r -> url.append("&RelayState=").append(URLEncoder.encode(r, StandardCharsets.UTF_8)));
        return new Redirect(URI.create(url.toString()), id, issuedAt, issuedAt.plus(REQUEST_LIFETIME));
    }

    private static Document authnRequest(SamlSettings settings, String id, Instant issuedAt) {
        Document doc = SamlXml.newDocument();
        Element request = doc.createElementNS(SAMLP, "samlp:AuthnRequest");
        request.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:saml", SAML);
        request.setAttributeNS(null, "ID", id);
        request.setAttributeNS(null, "Version", "2.0");
        request.setAttributeNS(null, "IssueInstant", DateTimeFormatter.ISO_INSTANT.format(issuedAt));
        request.setAttributeNS(null, "Destination", settings.idpSsoUrl().toString());
        request.setAttributeNS(null, "AssertionConsumerServiceURL", settings.acsUrl().toString());
        request.setAttributeNS(null, "ProtocolBinding", HTTP_POST_BINDING);
        doc.appendChild(request);

        Element issuer = doc.createElementNS(SAML, "saml:Issuer");
        issuer.setTextContent(settings.spEntityId());
        request.appendChild(issuer);

        Element policy = doc.createElementNS(SAMLP, "samlp:NameIDPolicy");
        policy.setAttributeNS(null, "Format", SamlResponseValidator.EMAIL_FORMAT);
        policy.setAttributeNS(null, "AllowCreate", "true");
        request.appendChild(policy);

        if (!settings.requiredAuthnContextClassRefs().isEmpty()) {
            Element requested = doc.createElementNS(SAMLP, "samlp:RequestedAuthnContext");
            requested.setAttributeNS(null, "Comparison", "exact");
            for (String classRef : settings.requiredAuthnContextClassRefs()) {
                Element ref = doc.createElementNS(SAML, "saml:AuthnContextClassRef");
                ref.setTextContent(classRef);
                requested.appendChild(ref);
            }
            request.appendChild(requested);
        }
        return doc;
    }

    private static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true); // raw DEFLATE, no zlib header
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
