package dev.warden.server.identity.signin;

import dev.warden.server.access.OrgId;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.identity.oidc.AuthorizationRequests;
import dev.warden.server.identity.oidc.OidcIdentity;
import dev.warden.server.identity.oidc.OidcRejected;
import dev.warden.server.identity.oidc.OidcSettings;
import dev.warden.server.identity.oidc.OidcSignIn;
import dev.warden.server.identity.oidc.PendingSignIn;
import dev.warden.server.identity.oidc.SignInRedirect;
import dev.warden.server.identity.saml.AuthnRequests;
import dev.warden.server.identity.saml.ReplayCache;
import dev.warden.server.identity.saml.RequestIdStore;
import dev.warden.server.identity.saml.SamlIdentity;
import dev.warden.server.identity.saml.SamlRejected;
import dev.warden.server.identity.saml.SamlResponseValidator;
import dev.warden.server.identity.saml.SamlSettings;
import dev.warden.server.identity.session.BrowserSessions;
import dev.warden.server.identity.sso.SsoSettings;
import dev.warden.server.tenancy.Org;
import dev.warden.server.tenancy.Tenants;
import dev.warden.server.tenancy.UserRepository;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sign-in through an org's identity provider, from the first redirect to the session.
 *
 * <p>A sign-in in progress lives in the metadata store (so the browser may come back to any
 * node), keyed by a hash of its OIDC state or SAML request id, single use, ten minutes at most,
 * and bound to the browser that started it by a random value in a short-lived cookie: a
 * response an attacker obtained for their own account cannot be completed in a victim's
 * browser (login CSRF). Every success and every refusal is an audit event in the org's log;
 * refusals that anyone can cause without a sign-in in progress or a signed answer (garbage
 * posted to an ACS, unknown states) at most {@link #MAX_FAILURE_EVENTS_PER_MINUTE} a minute per
 * org, so that they cannot flood the log (the next event counts what was left out).
 */
@Service
public class SignInService {
    public static final String ORG_REALM = "ORG";
    static final int MAX_FAILURE_EVENTS_PER_MINUTE = 60;
    private static final Logger LOG = LoggerFactory.getLogger(SignInService.class);
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /**
     * Refusals anyone can cause without a sign-in in progress or a validly signed answer: capped
     * per org ({@link #MAX_FAILURE_EVENTS_PER_MINUTE}). Every other refusal (tied to a real pending
     * sign-in, or to a signed assertion or token) is always recorded.
     */
    private static final Set<String> UNAUTHENTICATED_NOISE = Set.of("UNKNOWN_STATE", "STATE_MISSING",
            "SAML_NOT_CONFIGURED", "TOO_LARGE", "MALFORMED", "DTD_FORBIDDEN", "STATUS_NOT_SUCCESS", "ENCRYPTED_ASSERTION",
            "ASSERTION_COUNT", "DUPLICATE_ID", "UNEXPECTED_STRUCTURE", "UNSIGNED", "BAD_REFERENCE", "FORBIDDEN_TRANSFORM",
            "ALGORITHM_NOT_ALLOWED", "SIGNATURE_INVALID");
    private static final String ANOTHER_BROWSER = "This sign-in was started in another browser. Please start again here.";
    private static final String TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");
    private static final java.time.Duration PENDING_LIFETIME = OidcSignIn.MAX_PENDING_AGE;

    private final Tenants tenants;
    private final SsoSettings sso;
    private final AuthorizationRequests oidcRequests;
    private final OidcSignIn oidcSignIn;
    private final AuthnRequests samlRequests;
    private final SamlResponseValidator samlValidator;
    private final PendingSignInRepository pending;
    private final Provisioning provisioning;
    private final BrowserSessions sessions;
    private final AuditLog audit;
    private final UserRepository users;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<OrgId, long[]> failureWindows = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong lastPurge = new java.util.concurrent.atomic.AtomicLong();
    /** Each start stores a pending sign-in: at most this many a minute per source address, per node. */
    private final StartLimit startLimit;

    /** A fixed-window count per source address; the map is dropped whole each minute. */
    static final class StartLimit {
        private final int perMinute;
        private final Map<String, Integer> counts = new ConcurrentHashMap<>();
        private volatile long minute;

        StartLimit(int perMinute) {
            this.perMinute = perMinute;
        }

        boolean admit(String source) {
            long now = System.currentTimeMillis() / 60_000;
            if (now != minute) {
                counts.clear();
                minute = now;
            }
            return counts.merge(source == null ? "" : source, 1, Integer::sum) <= perMinute;
        }
    }

    public SignInService(Tenants tenants, SsoSettings sso, AuthorizationRequests oidcRequests, OidcSignIn oidcSignIn,
                         AuthnRequests samlRequests, SamlResponseValidator samlValidator, PendingSignInRepository pending,
                         Provisioning provisioning, BrowserSessions sessions, AuditLog audit, UserRepository users,
                         Clock clock, @org.springframework.beans.factory.annotation.Value(
                                 "${warden.signin.starts-per-minute:30}") int startsPerMinute) {
        this.startLimit = new StartLimit(startsPerMinute);
        this.tenants = tenants;
        this.sso = sso;
        this.oidcRequests = oidcRequests;
        this.oidcSignIn = oidcSignIn;
        this.samlRequests = samlRequests;
        this.samlValidator = samlValidator;
        this.pending = pending;
        this.provisioning = provisioning;
        this.sessions = sessions;
        this.audit = audit;
        this.users = users;
        this.clock = clock;
    }

    /** Where to send the browser, and the value of its sign-in binding cookie. */
    public record Started(URI redirect, String browserBinding) {
        @Override
        public String toString() {
            return "Started[" + redirect.getHost() + "]";
        }
    }

    /** A person let in: their new session, and the same-origin path to go to. */
    public record SignedIn(BrowserSessions.Issued session, String returnTo) {}

    /** Who a browser session belongs to, for the signed-in page. */
    public record SignedInPerson(String displayName, String email, String orgSlug) {}

    /** The person a session cookie signs in, if the session runs and the person may still sign in. */
    public Optional<SignedInPerson> signedInPerson(String cookie) {
        return sessions.find(cookie, dev.warden.server.identity.session.BrowserSession.Realm.ORG)
                .flatMap(s -> users.find(s.orgId().orElseThrow(), s.userId().orElseThrow()))
                .filter(u -> !u.disabled())
                .map(u -> new SignedInPerson(u.displayName(), u.email(),
                        tenants.find(u.orgId()).map(Org::slug).orElse("")));
    }

    /** What is kept of a sign-in in progress besides its key. */
    record Payload(String nonce, String verifier, String redirectUri, String state, String returnTo,
                   String previousSession) {}

    /**
     * Starts a sign-in for the org {@code slug}. An unknown org and an org without SSO give the
     * very same refusal, so the page cannot be used to find out which orgs exist.
     */
    public Started start(String slug, String returnTo, String requestId, String source) {
        return start(slug, returnTo, requestId, source, Optional.empty());
    }

    /**
     * @param previousSession the session the browser held when it started (read from its cookie
     *     here, where the request is same-origin): ended when the sign-in completes, even when the
     *     answer comes as a cross-site POST that carries no session cookie (SAML)
     */
    public Started start(String slug, String returnTo, String requestId, String source, Optional<java.util.UUID> previousSession) {
        String previous = previousSession.map(java.util.UUID::toString).orElse(null);
        purgeNowAndThen();
        if (!startLimit.admit(source)) {
            throw tooMany();
        }
        Org org = signInOrg(slug);
        SsoSettings.SignInConfig config = sso.forSignIn(org);
        String binding = BrowserSessions.randomToken();
        Instant now = clock.instant();
        String safeReturn = ReturnPath.sanitize(returnTo);
        if (config.oidc().isPresent()) {
            SignInRedirect redirect;
            try {
                redirect = oidcRequests.start(config.oidc().get(), sso.oidcRedirectUri(org));
            } catch (OidcRejected e) {
                throw refused(org, "oidc", e.reason().name(), e.publicMessage(), statusOf(e.reason()), requestId);
            }
            PendingSignIn p = redirect.pending();
            pending.insert(sha256Hex(p.state()), new PendingSignInRepository.Pending(ORG_REALM, Optional.of(org.id()), "oidc",
                    sha256Hex(binding), json.writeValueAsString(new Payload(p.nonce(), p.codeVerifier(),
                            p.redirectUri().toString(), null, safeReturn, previous)), p.createdAt(), p.createdAt().plus(PENDING_LIFETIME)));
            return new Started(redirect.authorizationUrl(), binding);
        }
        if (config.saml().isPresent()) {
            AuthnRequests.Redirect redirect = samlRequests.redirect(config.saml().get(), now, Optional.empty());
            pending.insert(sha256Hex(redirect.requestId()), new PendingSignInRepository.Pending(ORG_REALM, Optional.of(org.id()),
                    "saml", sha256Hex(binding), json.writeValueAsString(new Payload(null, null, null, null, safeReturn, previous)),
                    now, redirect.expiresAt()));
            return new Started(redirect.url(), binding);
        }
        throw unavailable();
    }

    /**
     * Sign-ins never completed and assertion ids past their expiry can never be used again, nor
     * can sessions past their absolute end: removed at most every 10 minutes, by whichever node
     * starts a sign-in (no scheduler needed; the deletes are idempotent across nodes).
     */
    private void purgeNowAndThen() {
        long now = clock.millis();
        long last = lastPurge.get();
        if (now - last < 600_000 || !lastPurge.compareAndSet(last, now)) {
            return;
        }
        try {
            pending.purgeExpired(clock.instant());
            sessions.purgeEnded(java.time.Duration.ofDays(1));
        } catch (RuntimeException e) {
            LOG.warn("purging expired sign-ins and sessions failed; it is tried again later", e);
        }
    }

    /** The OIDC callback: {@code state}, {@code code}, or {@code error} from the provider. */
    public SignedIn completeOidc(String slug, String state, String code, String error, Optional<String> binding,
                                 String requestId, String source) {
        Org org = callbackOrg(slug, "oidc");
        if (state == null || state.isEmpty() || state.length() > 512) {
            throw refused(org, "oidc", "STATE_MISSING", OidcRejected.Reason.STATE_MISMATCH.defaultMessage(), 400, requestId);
        }
        PendingSignInRepository.Pending p = pending.take(sha256Hex(state)).orElseThrow(() -> refused(org, "oidc",
                "UNKNOWN_STATE", OidcRejected.Reason.STATE_MISMATCH.defaultMessage(), 400, requestId));
        checkPending(org, p, "oidc", binding, requestId);
        // The provider's own refusal (the person cancelled, or may not use this client) counts only
        // for a sign-in this browser started; otherwise it is just an unknown state.
        if (error != null) {
            String safe = ERROR_CODE.matcher(error).matches() ? error : "other";
            throw refused(org, "oidc", "IDP_ERROR:" + safe, "Your identity provider did not sign you in ("
                    + safe + "). Please start again.", 400, requestId);
        }
        Payload payload = json.readValue(p.payload(), Payload.class);
        SsoSettings.SignInConfig config = sso.forSignIn(org);
        OidcSettings settings = config.oidc().orElseThrow(() -> refused(org, "oidc", "OIDC_NOT_CONFIGURED",
                "Your organization's sign-in has changed. Please start again.", 400, requestId));
        OidcIdentity identity;
        try {
            PendingSignIn pendingSignIn = new PendingSignIn(org.id(), state, payload.nonce(), payload.verifier(),
                    URI.create(payload.redirectUri()), p.createdAt());
            identity = oidcSignIn.complete(settings, pendingSignIn, state, code, sso.oidcRedirectUri(org), clock.instant());
        } catch (OidcRejected e) {
            LOG.info("OIDC sign-in refused for org {}: {}", org.slug(), e.reason());
            throw refused(org, "oidc", e.reason().name(), e.publicMessage(), statusOf(e.reason()), requestId);
        }
        ExternalIdentity external = new ExternalIdentity("oidc", identity.issuer(), identity.subject(),
                identity.email().toLowerCase(Locale.ROOT), identity.name(), Set.copyOf(settings.claimMapping().values()),
                identity.attributes(), settings.groupsClaim().map(c -> identity.groups()));
        return finish(org, external, config.oidcJit(), payload.returnTo(), Optional.empty(), requestId, source,
                Optional.ofNullable(payload.previousSession()));
    }

    /** The SAML ACS: the POSTed {@code SAMLResponse}. */
    public SignedIn completeSaml(String slug, String samlResponse, Optional<String> binding, String requestId,
                                 String source) {
        Org org = callbackOrg(slug, "saml");
        SsoSettings.SignInConfig config = sso.forSignIn(org);
        SamlSettings settings = config.saml().orElseThrow(() -> refused(org, "saml", "SAML_NOT_CONFIGURED",
                SamlRejected.Reason.UNKNOWN_REQUEST.publicMessage(), 400, requestId));
        BoundRequests requests = new BoundRequests(binding, org);
        SamlIdentity identity;
        try {
            identity = samlValidator.validate(samlResponse, settings, clock.instant(), requests,
                    (ReplayCache) (id, notOnOrAfter) -> pending.firstSeen(org.id(), id, notOnOrAfter));
        } catch (SamlRejected e) {
            LOG.info("SAML sign-in refused for org {}: {}", org.slug(), e.reason());
            if (requests.bindingMismatch) {
                throw refused(org, "saml", "BROWSER_MISMATCH", ANOTHER_BROWSER, 400, requestId);
            }
            throw refused(org, "saml", e.reason().name(), e.reason().publicMessage(),
                    e.reason() == SamlRejected.Reason.MFA_REQUIRED ? 403 : 400, requestId);
        }
        String email = identity.email().map(v -> v.strip().toLowerCase(Locale.ROOT)).orElseThrow(() -> refused(org, "saml",
                "EMAIL_MISSING", "Your identity provider did not share an email address for your account.", 403, requestId));
        if (!config.samlAllowedDomains().isEmpty()
                && !config.samlAllowedDomains().contains(email.substring(email.lastIndexOf('@') + 1))) {
            throw refused(org, "saml", "DOMAIN_NOT_ALLOWED",
                    "Your email address's domain is not allowed for this organization.", 403, requestId);
        }
        // A transient NameID changes at every sign-in: the person is then known by their email alone.
        // An emailAddress NameID is compared without case (some IdPs echo what the person typed). The
        // transient form starts with a newline, which no NameID an IdP sends as a username has.
        String subject = identity.nameIdFormat().filter(TRANSIENT::equals).isPresent() ? "\ntransient-email:" + email
                : identity.nameIdFormat().filter(SamlResponseValidator.EMAIL_FORMAT::equals).isPresent()
                        ? identity.nameId().strip().toLowerCase(Locale.ROOT) : identity.nameId();
        ExternalIdentity external = new ExternalIdentity("saml", settings.idpEntityId(), subject, email,
                Optional.ofNullable(identity.attributes().getOrDefault("display_name", List.of()).stream().findFirst()
                        .orElse(null)),
                Set.copyOf(settings.attributeMapping().values()), identity.attributes(),
                settings.attributeMapping().containsValue("groups")
                        ? Optional.of(identity.attributes().getOrDefault("groups", List.of())) : Optional.empty());
        return finish(org, external, config.samlJit(), requests.returnTo.orElse("/"), identity.sessionNotOnOrAfter(),
                requestId, source, requests.previousSession);
    }

    private SignedIn finish(Org org, ExternalIdentity identity, boolean jit, String returnTo, Optional<Instant> idpLimit,
                            String requestId, String source, Optional<String> previousSession) {
        Provisioning.Outcome outcome;
        try {
            try {
                outcome = provisioning.signIn(org.id(), identity, jit, requestId);
            } catch (org.springframework.dao.DataIntegrityViolationException race) {
                // Two first sign-ins of one person at once: the other one linked or created them; once more finds it.
                outcome = provisioning.signIn(org.id(), identity, jit, requestId);
            }
        } catch (SignInRefused e) {
            throw refused(org, identity.protocol(), e.reason(), e.publicMessage(), e.status(), requestId,
                    Map.of("email", identity.email()));
        } catch (dev.warden.server.problem.InvalidRequest e) {
            throw refused(org, identity.protocol(), "EMAIL_INVALID",
                    "Your identity provider shared an email address Warden cannot use.", 403, requestId);
        }
        BrowserSessions.Issued session = sessions.startForPerson(org.id(), outcome.user().id(), identity.protocol(), source,
                idpLimit);
        previousSession.map(java.util.UUID::fromString).ifPresent(previous -> sessions.endById(previous, "replaced"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("protocol", identity.protocol());
        details.put("issuer", identity.issuer());
        details.put("session", session.session().id().toString());
        details.put("provisioned", outcome.created());
        details.put("linked", outcome.linked());
        details.put("attributes_set", outcome.attributesSet());
        details.put("attributes_not_applied", outcome.attributesSkipped());
        details.put("groups_joined", outcome.groupsJoined());
        details.put("groups_left", outcome.groupsLeft());
        audit.appendAlone(org.id(), AuditRecord.of(new AuditActor("USER", Optional.of(outcome.user().id().toString()),
                        outcome.user().email()), "auth.sign_in").target("user", outcome.user().id()).requestId(requestId)
                .details(details).build());
        return new SignedIn(session, ReturnPath.sanitize(returnTo));
    }

    private void checkPending(Org org, PendingSignInRepository.Pending p, String protocol, Optional<String> binding,
                              String requestId) {
        if (!p.realm().equals(ORG_REALM) || p.org().isEmpty() || !p.org().get().equals(org.id())
                || !p.protocol().equals(protocol)) {
            throw refused(org, protocol, "SIGN_IN_MISMATCH", OidcRejected.Reason.SIGN_IN_MISMATCH.defaultMessage(), 400,
                    requestId);
        }
        if (!clock.instant().isBefore(p.expiresAt())) {
            throw refused(org, protocol, "SIGN_IN_EXPIRED", OidcRejected.Reason.SIGN_IN_EXPIRED.defaultMessage(), 400,
                    requestId);
        }
        if (binding.isEmpty() || !MessageDigest.isEqual(sha256Hex(binding.get()).getBytes(StandardCharsets.US_ASCII),
                p.browserHash().getBytes(StandardCharsets.US_ASCII))) {
            throw refused(org, protocol, "BROWSER_MISMATCH", ANOTHER_BROWSER, 400, requestId);
        }
    }

    /** SAML request ids, bound to this browser: consumed only with the binding cookie that started them. */
    private final class BoundRequests implements RequestIdStore {
        private final Optional<String> binding;
        private final Org org;
        private Optional<String> returnTo = Optional.empty();
        private Optional<String> previousSession = Optional.empty();
        private boolean bindingMismatch;

        BoundRequests(Optional<String> binding, Org org) {
            this.binding = binding;
            this.org = org;
        }

        @Override
        public void remember(OrgId orgId, String requestId, Instant expiresAt) {
            throw new UnsupportedOperationException("requests are remembered when a sign-in starts");
        }

        @Override
        public boolean consume(OrgId orgId, String requestId, Instant now) {
            Optional<PendingSignInRepository.Pending> p = pending.take(sha256Hex(requestId));
            if (p.isEmpty() || !orgId.equals(org.id()) || !p.get().realm().equals(ORG_REALM)
                    || !p.get().org().equals(Optional.of(orgId)) || !p.get().protocol().equals("saml")
                    || !now.isBefore(p.get().expiresAt())) {
                return false;
            }
            if (binding.isEmpty() || !MessageDigest.isEqual(sha256Hex(binding.get()).getBytes(StandardCharsets.US_ASCII),
                    p.get().browserHash().getBytes(StandardCharsets.US_ASCII))) {
                bindingMismatch = true;
                return false;
            }
            Payload payload = json.readValue(p.get().payload(), Payload.class);
            returnTo = Optional.ofNullable(payload.returnTo());
            previousSession = Optional.ofNullable(payload.previousSession());
            return true;
        }
    }

    /**
     * The org a callback names. An unknown org gets exactly the refusal an org without a sign-in
     * in progress gets (status and words), so that callbacks, like the sign-in page, do not tell
     * which orgs exist; there is no org log to write it to, so it goes to the application log.
     */
    private Org callbackOrg(String slug, String protocol) {
        Optional<Org> org = slug == null || !SLUG.matcher(slug).matches() ? Optional.empty() : tenants.findBySlug(slug);
        if (org.isEmpty()) {
            LOG.info("{} sign-in answer for an unknown org refused", protocol);
            throw new SignInRefused("UNKNOWN_ORG", protocol.equals("saml")
                    ? SamlRejected.Reason.UNKNOWN_REQUEST.publicMessage() : OidcRejected.Reason.STATE_MISMATCH.defaultMessage(), 400);
        }
        return org.get();
    }

    private Org signInOrg(String slug) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw unavailable();
        }
        return tenants.findBySlug(slug).orElseThrow(SignInService::unavailable);
    }

    static SignInRefused tooMany() {
        return new SignInRefused("TOO_MANY_SIGN_INS", "Too many sign-ins from your network. Please wait a minute and try again.",
                429);
    }

    /** The one answer for an unknown org and an org without SSO. */
    static SignInRefused unavailable() {
        return new SignInRefused("SSO_UNAVAILABLE",
                "Single sign-on is not available for this organization. Check the name, or ask your administrator.", 404);
    }

    private SignInRefused refused(Org org, String protocol, String reason, String message, int status, String requestId) {
        return refused(org, protocol, reason, message, status, requestId, Map.of());
    }

    private SignInRefused refused(Org org, String protocol, String reason, String message, int status, String requestId,
                                  Map<String, Object> extra) {
        long suppressed = UNAUTHENTICATED_NOISE.contains(reason) ? admitFailureEvent(org.id()) : 0;
        if (suppressed >= 0) {
            Map<String, Object> details = new LinkedHashMap<>(extra);
            details.put("protocol", protocol);
            details.put("reason", reason);
            if (suppressed > 0) {
                details.put("earlier_failures_not_recorded", suppressed);
            }
            audit.appendAlone(org.id(), AuditRecord.of(AuditActor.anonymous(), "auth.sign_in")
                    .outcome(AuditRecord.Outcome.FAILURE).requestId(requestId).details(details).build());
        } else {
            LOG.info("sign-in failure for org {} not recorded in its audit log (over {} a minute): {}", org.slug(),
                    MAX_FAILURE_EVENTS_PER_MINUTE, reason);
        }
        return new SignInRefused(reason, message, status);
    }

    /** -1 when over the per-minute limit; otherwise how many were left out since the last one recorded. */
    private long admitFailureEvent(OrgId org) {
        long minute = clock.millis() / 60_000;
        long[] window = failureWindows.computeIfAbsent(org, k -> new long[3]);
        synchronized (window) {
            if (window[0] != minute) {
                window[0] = minute;
                window[1] = 0;
            }
            if (window[1] >= MAX_FAILURE_EVENTS_PER_MINUTE) {
                window[2]++;
                return -1;
            }
            window[1]++;
            long left = window[2];
            window[2] = 0;
            return left;
        }
    }

    private static int statusOf(OidcRejected.Reason reason) {
        return switch (reason) {
            case IDP_UNAVAILABLE -> 503;
            case DISCOVERY_REJECTED -> 502;
            case EMAIL_MISSING, EMAIL_NOT_VERIFIED, DOMAIN_NOT_ALLOWED, MFA_REQUIRED -> 403;
            default -> 400;
        };
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
