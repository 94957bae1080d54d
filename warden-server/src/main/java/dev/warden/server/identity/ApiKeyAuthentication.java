package dev.warden.server.identity;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.ActorKind;
import dev.warden.server.access.RequestIds;
import dev.warden.server.access.WardenAuthentication;
import dev.warden.server.attributes.UserAttributes;
import dev.warden.server.tenancy.User;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.stereotype.Component;

/**
 * API keys in Spring Security's terms: a converter that picks {@code Authorization: Bearer wdn_...}
 * off the request, and a provider that checks it and turns it into the request's one
 * {@link AccessContext}. Every refusal looks the same to the caller.
 */
@Component
public final class ApiKeyAuthentication implements AuthenticationProvider, AuthenticationConverter {
    /** The request attribute under which the request id travels from the first filter. */
    public static final String REQUEST_ID_ATTRIBUTE = "warden.request_id";

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthentication.class);
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final UserAttributes attributes;

    public ApiKeyAuthentication(ApiKeys keys, UserAttributes attributes) {
        this.keys = keys;
        this.attributes = attributes;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length()).strip();
        if (!token.startsWith(ApiKeyToken.PREFIX)) {
            return null; // another kind of bearer token (SCIM, operator) is for another provider
        }
        Object requestId = request.getAttribute(REQUEST_ID_ATTRIBUTE);
        return new ApiKeyCredentials(token, requestId == null ? RequestIds.next() : requestId.toString());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        ApiKeyCredentials credentials = (ApiKeyCredentials) authentication;
        ApiKeys.Verdict verdict = keys.authenticate((String) credentials.getCredentials(), credentials.requestId());
        if (verdict.refusal().isPresent()) {
            // The reason goes to the log and (for existing keys) the org's audit log, never to the caller.
            LOG.info("API key refused: {} (key {})", verdict.refusal().get(),
                    verdict.key().map(k -> "wdn_" + k.lookupId()).orElse("unknown"));
            throw new BadCredentialsException("invalid API key");
        }
        User owner = verdict.owner().orElseThrow();
        AccessContext context = new AccessContext(owner.orgId(), Optional.of(owner.id()), owner.email(),
                owner.orgRole(), attributes.valuesOf(owner.orgId(), verdict.generation(), owner.id(), owner.email()), ActorKind.API_KEY, verdict.key().map(k -> k.id()),
                credentials.requestId());
        return new WardenAuthentication(context);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyCredentials.class.isAssignableFrom(authentication);
    }
}
