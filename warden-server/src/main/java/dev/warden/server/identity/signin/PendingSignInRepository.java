package dev.warden.server.identity.signin;

import dev.warden.server.access.OrgId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Sign-ins in progress ({@code pending_sign_ins}) and accepted SAML assertion ids
 * ({@code saml_assertion_ids}). Both run outside any transaction of the caller's: each statement
 * commits alone, so a duplicate key refuses a replay without spoiling anything else.
 */
@Repository
public class PendingSignInRepository {
    /** A sign-in in progress as stored. {@code payload} is JSON (nonce, verifier, return path...). */
    record Pending(String realm, Optional<OrgId> org, String protocol, String browserHash, String payload,
                   Instant createdAt, Instant expiresAt) {}

    private final JdbcClient jdbc;

    public PendingSignInRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String keyHash, Pending p) {
        jdbc.sql("INSERT INTO pending_sign_ins (key_hash, realm, org_id, protocol, browser_hash, payload, created_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(keyHash, p.realm(), p.org().map(OrgId::value).orElse(null), p.protocol(), p.browserHash(),
                        p.payload(), at(p.createdAt()), at(p.expiresAt()))
                .update();
    }

    /**
     * Takes a sign-in in progress: reads and deletes it. Only the caller whose DELETE removed the
     * row gets it, so two requests racing with one state or request id cannot both go on.
     */
    Optional<Pending> take(String keyHash) {
        Optional<Pending> found = jdbc.sql("SELECT realm, org_id, protocol, browser_hash, payload, created_at, expires_at "
                        + "FROM pending_sign_ins WHERE key_hash = ?").param(keyHash)
                .query((rs, n) -> new Pending(rs.getString(1), Optional.ofNullable(rs.getObject(2, UUID.class)).map(OrgId::new),
                        rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getObject(7, OffsetDateTime.class).toInstant()))
                .optional();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        int deleted = jdbc.sql("DELETE FROM pending_sign_ins WHERE key_hash = ?").param(keyHash).update();
        return deleted == 1 ? found : Optional.empty();
    }

    int purgeExpired(Instant now) {
        return jdbc.sql("DELETE FROM pending_sign_ins WHERE expires_at < ?").param(at(now)).update()
                + jdbc.sql("DELETE FROM saml_assertion_ids WHERE expires_at < ?").param(at(now)).update();
    }

    /** Records an assertion id (by its SHA-256: any length fits) for the org; false when it was already there (a replay). */
    boolean firstSeen(OrgId org, String assertionId, Instant notOnOrAfter) {
        try {
            jdbc.sql("INSERT INTO saml_assertion_ids (org_id, assertion_id, expires_at) VALUES (?, ?, ?)")
                    .params(org.value(), SignInService.sha256Hex(assertionId), at(notOnOrAfter)).update();
            return true;
        } catch (org.springframework.dao.DuplicateKeyException e) {
            return false;
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
