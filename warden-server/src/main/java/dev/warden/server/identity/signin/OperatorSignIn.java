package dev.warden.server.identity.signin;

import dev.warden.server.access.OrgId;
import dev.warden.server.identity.oidc.AuthorizationRequests;
import dev.warden.server.identity.oidc.ClientSecret;
import dev.warden.server.identity.oidc.OidcIdentity;
import dev.warden.server.identity.oidc.OidcRejected;
import dev.warden.server.identity.oidc.OidcSettings;
import dev.warden.server.identity.oidc.OidcSignIn;
import dev.warden.server.identity.oidc.PendingSignIn;
import dev.warden.server.identity.oidc.SignInRedirect;
import dev.warden.server.identity.session.BrowserSessions;
import dev.warden.server.support.Operators;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operators' realm: the deployment's own identity provider for the vendor's support staff,
 * configured in the deployment's settings ({@code WARDEN_OPERATOR_OIDC_*}), separate from every
 * org. The same OIDC checks as an org's sign-in apply (PKCE, state, nonce, signature, issuer,
 * audience, verified email, the MFA policy), and then the verified email must be an operator's
 * ({@code WARDEN_OPERATOR_EMAILS}) and the request must come from the operator networks.
 *
 * <p>The result is an operator browser session (realm OPERATORS, cookie {@code warden_operator}):
 * it opens the operator API only (which orgs granted access; open a support session under a
 * grant), never an org's API. Sign-ins are written to the application log: operators belong to
 * no org, and each org's log records every request an operator makes in it.
 */
@Service
public class OperatorSignIn {
    static final String REALM = "OPERATORS";
    /** Not an org: what the OIDC core binds the realm's settings and sign-ins to, so they never match an org's. */
    private static final OrgId REALM_BINDING = new OrgId(new UUID(0, 0));
    private static final Logger LOG = LoggerFactory.getLogger(OperatorSignIn.class);

    private final Optional<OidcSettings> settings;
    private final URI redirectUri;
    private final AuthorizationRequests requests;
    private final OidcSignIn oidcSignIn;
    private final PendingSignInRepository pending;
    private final BrowserSessions sessions;
    private final Operators operators;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SignInService.StartLimit startLimit;

    public OperatorSignIn(@Value("${warden.support.realm.issuer:}") String issuer,
                          @Value("${warden.support.realm.client-id:}") String clientId,
                          @Value("${warden.support.realm.client-secret:}") String clientSecret,
                          @Value("${warden.support.realm.required-amr:}") List<String> requiredAmr,
                          @Value("${warden.support.realm.required-acr:}") List<String> requiredAcr,
                          @Value("${warden.public-url:http://localhost:8080}") String publicUrl,
                          AuthorizationRequests requests, OidcSignIn oidcSignIn, PendingSignInRepository pending,
                          BrowserSessions sessions, Operators operators, Clock clock,
                          @Value("${warden.signin.starts-per-minute:30}") int startsPerMinute) {
        this.startLimit = new SignInService.StartLimit(startsPerMinute);
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.redirectUri = URI.create(base + "/operator/oidc/callback");
        if (issuer.isBlank()) {
            this.settings = Optional.empty();
        } else {
            if (clientId.isBlank() || clientSecret.isBlank()) {
                throw new IllegalStateException(
                        "the operators' realm needs WARDEN_OPERATOR_OIDC_CLIENT_ID and WARDEN_OPERATOR_OIDC_CLIENT_SECRET with its issuer");
            }
            try {
                this.settings = Optional.of(OidcSettings.builder(issuer.strip(), clientId.strip(), ClientSecret.of(clientSecret))
                        .org(REALM_BINDING)
                        .requiredAmrValues(requiredAmr.stream().map(String::strip).filter(v -> !v.isEmpty()).toList())
                        .requiredAcrValues(requiredAcr.stream().map(String::strip).filter(v -> !v.isEmpty()).toList())
                        .build());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the operators' realm settings are not valid: " + e.getMessage());
            }
        }
        this.requests = requests;
        this.oidcSignIn = oidcSignIn;
        this.pending = pending;
        this.sessions = sessions;
        this.operators = operators;
        this.clock = clock;
    }

    public boolean configured() {
        return settings.isPresent();
    }

    public SignInService.Started start(String source) {
        OidcSettings realm = settings.orElseThrow(OperatorSignIn::notConfigured);
        if (!operators.allowedSource(source)) {
            throw refused("SOURCE_NOT_ALLOWED", "Operators may not sign in from this network.", 403);
        }
        if (!startLimit.admit(source)) {
            throw SignInService.tooMany();
        }
        SignInRedirect redirect;
        try {
            redirect = requests.start(realm, redirectUri);
        } catch (OidcRejected e) {
            throw new SignInRefused(e.reason().name(), e.publicMessage(), e.reason() == OidcRejected.Reason.IDP_UNAVAILABLE ? 503 : 502);
        }
        String binding = BrowserSessions.randomToken();
        PendingSignIn p = redirect.pending();
        pending.insert(SignInService.sha256Hex(p.state()), new PendingSignInRepository.Pending(REALM, Optional.empty(), "oidc",
                SignInService.sha256Hex(binding), json.writeValueAsString(new SignInService.Payload(p.nonce(), p.codeVerifier(),
                        p.redirectUri().toString(), null, "/operator/", null)),
                p.createdAt(), p.createdAt().plus(OidcSignIn.MAX_PENDING_AGE)));
        return new SignInService.Started(redirect.authorizationUrl(), binding);
    }

    /** Completes the realm's sign-in: an operator session, or a refusal. */
    public BrowserSessions.Issued complete(String state, String code, String error, Optional<String> binding, String source) {
        OidcSettings realm = settings.orElseThrow(OperatorSignIn::notConfigured);
        if (error != null) {
            throw refused("IDP_ERROR", "The operators' identity provider did not sign you in. Please start again.", 400);
        }
        if (state == null || state.isEmpty() || state.length() > 512) {
            throw refused("STATE_MISSING", OidcRejected.Reason.STATE_MISMATCH.defaultMessage(), 400);
        }
        PendingSignInRepository.Pending p = pending.take(SignInService.sha256Hex(state))
                .orElseThrow(() -> refused("UNKNOWN_STATE", OidcRejected.Reason.STATE_MISMATCH.defaultMessage(), 400));
        if (!p.realm().equals(REALM) || p.org().isPresent() || !clock.instant().isBefore(p.expiresAt())) {
            throw refused("SIGN_IN_MISMATCH", OidcRejected.Reason.SIGN_IN_MISMATCH.defaultMessage(), 400);
        }
        if (binding.isEmpty() || !MessageDigest.isEqual(SignInService.sha256Hex(binding.get()).getBytes(StandardCharsets.US_ASCII),
                p.browserHash().getBytes(StandardCharsets.US_ASCII))) {
            throw refused("BROWSER_MISMATCH", "This sign-in was started in another browser. Please start again here.", 400);
        }
        SignInService.Payload payload = json.readValue(p.payload(), SignInService.Payload.class);
        OidcIdentity identity;
        try {
            identity = oidcSignIn.complete(realm, new PendingSignIn(REALM_BINDING, state, payload.nonce(), payload.verifier(),
                    URI.create(payload.redirectUri()), p.createdAt()), state, code, redirectUri, clock.instant());
        } catch (OidcRejected e) {
            throw refused(e.reason().name(), e.publicMessage(), e.reason() == OidcRejected.Reason.IDP_UNAVAILABLE ? 503 : 403);
        }
        String operator = operators.byVerifiedEmail(identity.email())
                .orElseThrow(() -> refused("NOT_AN_OPERATOR", "This account is not one of this deployment's operators.", 403));
        if (!operators.allowedSource(source)) {
            throw refused("SOURCE_NOT_ALLOWED", "Operators may not sign in from this network.", 403);
        }
        BrowserSessions.Issued issued = sessions.startForOperator(operator, "oidc", source);
        LOG.info("operator {} signed in through the operators' realm (session {})", operator, issued.session().id());
        return issued;
    }

    private static SignInRefused notConfigured() {
        return new SignInRefused("REALM_NOT_CONFIGURED",
                "Operators sign in with operator keys on this deployment (no operators' identity provider is configured).", 404);
    }

    private static SignInRefused refused(String reason, String message, int status) {
        LOG.info("operator sign-in refused: {}", reason);
        return new SignInRefused(reason, message, status);
    }

}
