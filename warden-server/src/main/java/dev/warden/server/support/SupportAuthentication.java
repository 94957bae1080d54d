package dev.warden.server.support;

import dev.warden.server.access.RequestIds;
import dev.warden.server.access.WardenAuthentication;
import dev.warden.server.identity.ApiKeyAuthentication;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.stereotype.Component;

/**
 * Operators in Spring Security's terms: an operator key ({@code Bearer wop_...}) authenticates an
 * operator at the deployment level; a support session ({@code Bearer wos_...}) authenticates an
 * operator inside one org, under one grant, re-checked on every request. Both refuse sources
 * outside the configured operator networks, and every refusal looks the same to the caller.
 */
@Component
public final class SupportAuthentication implements AuthenticationProvider, AuthenticationConverter {
    private static final Logger LOG = LoggerFactory.getLogger(SupportAuthentication.class);
    static final String OPERATOR_KEY_PREFIX = "wop_";
    private static final Pattern OPERATOR_KEY = Pattern.compile("^wop_[A-Za-z0-9_-]{43}$");
    private static final String BEARER = "Bearer ";

    private final Operators operators;
    private final SupportAccess support;

    SupportAuthentication(Operators operators, SupportAccess support) {
        this.operators = operators;
        this.support = support;
    }

    /** A presented operator credential, not yet checked; {@code toString} never shows it. */
    static final class Presented extends AbstractAuthenticationToken {
        private final String token;
        private final String requestId;
        private final String source;

        Presented(String token, String requestId, String source) {
            super(List.of());
            this.token = token;
            this.requestId = requestId;
            this.source = source;
            setAuthenticated(false);
        }

        @Override
        public Object getCredentials() {
            return token;
        }

        @Override
        public Object getPrincipal() {
            return "operator";
        }

        @Override
        public String toString() {
            return "Presented[redacted]";
        }
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length()).strip();
        if (!token.startsWith(OPERATOR_KEY_PREFIX) && !token.startsWith(SupportAccess.SESSION_PREFIX)) {
            return null;
        }
        Object requestId = request.getAttribute(ApiKeyAuthentication.REQUEST_ID_ATTRIBUTE);
        return new Presented(token, requestId == null ? RequestIds.next() : requestId.toString(), request.getRemoteAddr());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Presented presented = (Presented) authentication;
        String token = presented.token;
        if (token.startsWith(SupportAccess.SESSION_PREFIX)) {
            return support.authenticate(token, presented.requestId, presented.source)
                    .map(context -> (Authentication) new WardenAuthentication(context))
                    .orElseThrow(() -> refused("support session"));
        }
        if (!OPERATOR_KEY.matcher(token).matches()) {
            throw refused("operator key (malformed)");
        }
        String operator = operators.byKeyHash(sha256(token.substring(OPERATOR_KEY_PREFIX.length())))
                .orElseThrow(() -> refused("operator key (unknown)"));
        if (!operators.allowedSource(presented.source)) {
            throw refused("operator key (source " + presented.source + " outside the operator networks)");
        }
        return new OperatorAuthentication(operator, presented.source);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return Presented.class.isAssignableFrom(authentication);
    }

    private static BadCredentialsException refused(String what) {
        LOG.info("operator credential refused: {}", what);
        return new BadCredentialsException("invalid operator credential");
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
