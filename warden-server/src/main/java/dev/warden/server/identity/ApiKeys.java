package dev.warden.server.identity;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.AccessDenied;
import dev.warden.server.access.ActorKind;
import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.problem.ResourceNotFound;
import dev.warden.server.tenancy.AccessGenerations;
import dev.warden.server.tenancy.User;
import dev.warden.server.tenancy.UserRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Personal API keys: issued to a person, acting as that person. The secret is returned once,
 * at creation; only its hash is stored. Revocation, expiry and the owner being disabled take
 * effect on the very next request, since every request reads the stored key.
 */
@Service
@Transactional
public class ApiKeys {
    /** last_used_at is written at most this often per key, so that busy keys do not write on every request. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final Duration MAX_LIFETIME = Duration.ofDays(3650);

    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> recentRefusals =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1))
                    .maximumSize(100_000).build();
    private final ApiKeyRepository keys;
    private final UserRepository users;
    private final AuditLog audit;
    private final Clock clock;
    /** Key owners by (org, access generation): disabling or removing a person moves the generation. */
    private final AccessGenerations.Scoped<UserId, Optional<User>> owners;

    public ApiKeys(ApiKeyRepository keys, UserRepository users, AuditLog audit, Clock clock,
                   AccessGenerations generations) {
        this.keys = keys;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
        this.owners = generations.cache(10_000);
    }

    /** A new key with its secret text: the only moment the secret exists outside the caller's hands. */
    public record IssuedKey(ApiKey key, String secretText) {
        @Override
        public String toString() {
            return "IssuedKey[" + key + "]";
        }
    }

    public record NewKey(String name, Optional<Instant> expiresAt) {
        public NewKey {
            expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
        }
    }

    /** A person creates a key for themselves. */
    public IssuedKey issue(AccessContext context, NewKey request) {
        if (context.actorKind() != ActorKind.USER && context.actorKind() != ActorKind.API_KEY) {
            throw new AccessDenied("only a person can own an API key");
        }
        return issue(context.orgId(), context.requireUser(), request, AuditActor.of(context),
                Optional.of(context.requestId()));
    }

    /** Issues a key to a given person of an org, audited under the given actor (bootstrap, demo). */
    public IssuedKey issue(OrgId org, UserId owner, NewKey request, AuditActor actor, Optional<String> requestId) {
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            throw new InvalidRequest("name must have 1 to 200 characters");
        }
        Instant now = clock.instant();
        if (request.expiresAt().isPresent()) {
            Instant expiry = request.expiresAt().get();
            if (!expiry.isAfter(now)) {
                throw new InvalidRequest("expires_at must be in the future");
            }
            if (expiry.isAfter(now.plus(MAX_LIFETIME))) {
                throw new InvalidRequest("expires_at must be within 10 years");
            }
        }
        users.find(org, owner).orElseThrow(() -> new ResourceNotFound("user"));
        ApiKeyToken token = ApiKeyToken.generate();
        ApiKey key = new ApiKey(UUID.randomUUID(), org, owner, name, token.lookupId(), token.secretHash(), now,
                request.expiresAt(), Optional.empty(), Optional.empty());
        keys.insert(key);
        audit.append(org, AuditRecord.of(actor, "api_key.create").target("api_key", key.id())
                .requestId(requestId.orElse(null)).details(describe(key)).build());
        return new IssuedKey(key, token.text());
    }

    @Transactional(readOnly = true)
    public List<ApiKey> list(AccessContext context, boolean everyonesKeys) {
        return keys.list(context.orgId(), everyonesKeys ? Optional.empty() : Optional.of(context.requireUser()));
    }

    /**
     * Revokes a key. A person may revoke their own keys; an admin any key of the org. A key the
     * caller may not revoke is reported as not found, like a key of another org.
     */
    public void revoke(AccessContext context, UUID id, boolean anyKeyOfOrg) {
        ApiKey key = keys.find(context.orgId(), id)
                .filter(k -> anyKeyOfOrg || context.userId().map(k.userId()::equals).orElse(false))
                .orElseThrow(() -> new ResourceNotFound("API key"));
        if (keys.revoke(context.orgId(), id, clock.instant())) {
            audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "api_key.revoke")
                    .target("api_key", id).requestId(context.requestId()).details(describe(key)).build());
        }
    }

    /** Why a presented key was refused. Logged and audited; never told to the caller. */
    public enum Refusal { MALFORMED, UNKNOWN, WRONG_SECRET, REVOKED, EXPIRED, OWNER_DISABLED, OWNER_GONE }

    /**
     * The result of presenting a key: the owner and key, or why not; and the org's access
     * generation read with the key (-1 when refused), for the request's caches.
     */
    public record Verdict(Optional<User> owner, Optional<ApiKey> key, Optional<Refusal> refusal, long generation) {
        public Verdict(Optional<User> owner, Optional<ApiKey> key, Optional<Refusal> refusal) {
            this(owner, key, refusal, -1);
        }
    }

    /**
     * Checks a presented key. Runs on every API request, so it is one indexed read (the key and
     * its org's access generation, in one statement: revocation and expiry are seen at once), a
     * hash and a constant-time comparison, plus a write at most once a minute per key. The owner
     * comes from a cache keyed by the generation, which moves when a person is disabled or
     * removed. Refusals for a key that exists are audited in that key's org. No transaction of
     * its own: the statements are single reads and a single touch.
     */
    @Transactional(propagation = Propagation.SUPPORTS)
    public Verdict authenticate(String presented, String requestId) {
        Optional<ApiKeyToken> token = ApiKeyToken.parse(presented);
        if (token.isEmpty()) {
            return refused(Refusal.MALFORMED);
        }
        Optional<ApiKeyRepository.Found> stored = keys.findForAuthentication(token.get().lookupId());
        if (stored.isEmpty()) {
            return refused(Refusal.UNKNOWN);
        }
        ApiKey key = stored.get().key();
        long generation = stored.get().generation();
        Instant now = clock.instant();
        Refusal refusal = null;
        Optional<User> owner = Optional.empty();
        if (!token.get().matches(key.secretHash())) {
            refusal = Refusal.WRONG_SECRET;
        } else if (key.state(now) == ApiKey.State.REVOKED) {
            refusal = Refusal.REVOKED;
        } else if (key.state(now) == ApiKey.State.EXPIRED) {
            refusal = Refusal.EXPIRED;
        } else {
            owner = owners.get(key.orgId(), generation, key.userId(), () -> users.find(key.orgId(), key.userId()));
            if (owner.isEmpty()) {
                refusal = Refusal.OWNER_GONE;
            } else if (owner.get().disabled()) {
                refusal = Refusal.OWNER_DISABLED;
            }
        }
        if (refusal != null) {
            // At most one event per key and reason a minute: a lookup id is not secret, so without
            // this anyone could flood the org's log (and its chain lock) with refusals.
            if (recentRefusals.asMap().putIfAbsent(key.id() + ":" + refusal, Boolean.TRUE) != null) {
                return new Verdict(Optional.empty(), Optional.of(key), Optional.of(refusal));
            }
            audit.appendAlone(key.orgId(), AuditRecord.of(AuditActor.anonymous(), "api_key.refused")
                    .outcome(AuditRecord.Outcome.DENIED).target("api_key", key.id()).requestId(requestId)
                    .details(Map.of("reason", refusal.name(), "key_prefix", ApiKeyToken.PREFIX + key.lookupId()))
                    .build());
            return new Verdict(Optional.empty(), Optional.of(key), Optional.of(refusal));
        }
        if (key.lastUsedAt().map(t -> t.plus(TOUCH_INTERVAL).isBefore(now)).orElse(true)) {
            keys.touch(key.id(), now);
        }
        return new Verdict(owner, Optional.of(key), Optional.empty(), generation);
    }

    private static Verdict refused(Refusal refusal) {
        return new Verdict(Optional.empty(), Optional.empty(), Optional.of(refusal));
    }

    private static Map<String, Object> describe(ApiKey key) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", key.name());
        m.put("owner", key.userId().toString());
        m.put("key_prefix", ApiKeyToken.PREFIX + key.lookupId());
        m.put("expires_at", key.expiresAt().map(Instant::toString).orElse(null));
        return m;
    }
}
