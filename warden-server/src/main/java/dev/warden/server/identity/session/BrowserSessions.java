package dev.warden.server.identity.session;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import dev.warden.server.identity.ApiKeyToken;
import dev.warden.server.identity.session.BrowserSession.Realm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Browser sessions after sign-in, kept in the metadata store so that every node shares them.
 *
 * <p>Why not Spring Session JDBC, which DESIGN.md names: it stores the session id itself (a copy
 * of the table, a backup, a read-only SQL injection anywhere would hand out live sessions) and
 * its attributes as Java-serialized objects (a deserialization surface in the metadata store).
 * Here the cookie is {@code wbs_<lookup>_<secret>} like an API key, only a SHA-256 of the secret
 * and of the CSRF token is stored, and nothing is deserialized. Every request re-reads the row,
 * so logout, a disabled person and both timeouts apply on the very next request, on every node.
 *
 * <p>Timeouts: idle ({@code warden.session.idle-timeout}, default 1 hour without a request) and
 * absolute ({@code warden.session.absolute-timeout}, default 12 hours after sign-in, or earlier
 * when the IdP limits its own session, SAML's SessionNotOnOrAfter).
 */
@Service
public class BrowserSessions {
    /** How stale {@code last_seen_at} may be: at most one write per session per minute. */
    public static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    public static final String COOKIE_PREFIX = "wbs_";
    private static final Pattern CSRF_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BrowserSessionRepository repository;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;

    public BrowserSessions(BrowserSessionRepository repository, Clock clock,
                           @Value("${warden.session.idle-timeout:PT1H}") Duration idleTimeout,
                           @Value("${warden.session.absolute-timeout:PT12H}") Duration absoluteTimeout) {
        if (idleTimeout.compareTo(Duration.ofMinutes(1)) < 0 || absoluteTimeout.compareTo(idleTimeout) < 0
                || absoluteTimeout.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalStateException(
                    "warden.session: idle-timeout must be at least 1 minute, absolute-timeout at least the idle timeout and at most 30 days");
        }
        this.repository = repository;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.absoluteTimeout = absoluteTimeout;
    }

    /** A session just started: what goes into the browser's cookies, once. */
    public record Issued(BrowserSession session, String cookieValue, String csrfToken) {
        @Override
        public String toString() {
            return "Issued[" + session + "]";
        }
    }

    /** Starts a person's session. {@code idpLimit}: the IdP's own end of its session, if it set one. */
    @Transactional
    public Issued startForPerson(OrgId org, UserId user, String protocol, String source, Optional<Instant> idpLimit) {
        return start(Realm.ORG, Optional.of(org), Optional.of(user), Optional.empty(), protocol, source, idpLimit);
    }

    @Transactional
    public Issued startForOperator(String operatorId, String protocol, String source) {
        return start(Realm.OPERATORS, Optional.empty(), Optional.empty(), Optional.of(operatorId), protocol, source,
                Optional.empty());
    }

    private Issued start(Realm realm, Optional<OrgId> org, Optional<UserId> user, Optional<String> operator,
                         String protocol, String source, Optional<Instant> idpLimit) {
        Instant now = clock.instant();
        Instant end = now.plus(absoluteTimeout);
        if (idpLimit.isPresent() && idpLimit.get().isBefore(end)) {
            end = idpLimit.get();
        }
        ApiKeyToken token = ApiKeyToken.generate(COOKIE_PREFIX);
        String csrf = randomToken();
        BrowserSession session = new BrowserSession(UUID.randomUUID(), realm, org, user, operator, token.lookupId(),
                token.secretHash(), sha256(csrf), protocol, now, now, end, Optional.empty());
        repository.insert(session, source.length() > 64 ? source.substring(0, 64) : source);
        return new Issued(session, token.text(), csrf);
    }

    /**
     * The running session a cookie value opens in {@code realm}, if any. A session past either
     * timeout is ended on the way; a malformed value, a wrong secret, an ended session and another
     * realm's session all give empty.
     */
    @Transactional
    public Optional<BrowserSession> find(String cookieValue, Realm realm) {
        Optional<ApiKeyToken> token = ApiKeyToken.parse(COOKIE_PREFIX, cookieValue == null ? "" : cookieValue);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Optional<BrowserSession> found = repository.byLookupId(token.get().lookupId());
        if (found.isEmpty() || !token.get().matches(found.get().secretHash())) {
            return Optional.empty();
        }
        BrowserSession s = found.get();
        if (s.endedAt().isPresent() || s.realm() != realm) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(s.absoluteExpiresAt())) {
            repository.end(s.id(), now, "absolute_timeout");
            return Optional.empty();
        }
        if (!now.isBefore(s.lastSeenAt().plus(idleTimeout))) {
            repository.end(s.id(), now, "idle_timeout");
            return Optional.empty();
        }
        if (!now.isBefore(s.lastSeenAt().plus(TOUCH_INTERVAL))) {
            repository.touch(s.id(), now);
        }
        return Optional.of(s);
    }

    /** Whether {@code presented} is this session's CSRF token; constant time. */
    public boolean csrfMatches(BrowserSession session, String presented) {
        if (presented == null || !CSRF_TOKEN.matcher(presented).matches()) {
            return false;
        }
        return MessageDigest.isEqual(session.csrfHash(), sha256(presented));
    }

    /** Ends one session (logout, or a refusal found on the way); reports whether it was running. */
    @Transactional
    public boolean end(BrowserSession session, String reason) {
        return repository.end(session.id(), clock.instant(), reason);
    }

    /** Ends a session known by id (one this server looked up itself); reports whether it was running. */
    @Transactional
    public boolean endById(UUID id, String reason) {
        return repository.end(id, clock.instant(), reason);
    }

    /** Ends every running session of a person (disabled, deleted); returns how many. */
    @Transactional
    public int endAllOf(OrgId org, UserId user, String reason) {
        return repository.endAllOf(org, user, clock.instant(), reason);
    }

    /** A disabled person's sessions end with the change that disables them (same transaction). */
    @org.springframework.context.event.EventListener
    public void onPersonDisabled(dev.warden.server.tenancy.PersonDisabled event) {
        endAllOf(event.org(), event.user(), "user_disabled");
    }

    /** Removes sessions that ended, or reached their absolute end, more than {@code keep} ago. */
    @Transactional
    public int purgeEnded(Duration keep) {
        return repository.purge(clock.instant().minus(keep));
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration absoluteTimeout() {
        return absoluteTimeout;
    }

    /** 256 random bits, base64url: CSRF tokens and sign-in binding cookies. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Objects.requireNonNull(text).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
