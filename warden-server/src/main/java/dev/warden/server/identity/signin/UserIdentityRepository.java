package dev.warden.server.identity.signin;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which identity at which provider is which person ({@code user_identities}). */
@Repository
public class UserIdentityRepository {
    private final JdbcClient jdbc;

    public UserIdentityRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<UserId> person(OrgId org, String identityHash) {
        return jdbc.sql("SELECT user_id FROM user_identities WHERE org_id = ? AND identity_hash = ?")
                .params(org.value(), identityHash).query((rs, n) -> new UserId(rs.getObject(1, UUID.class))).optional();
    }

    /** The subjects this person is linked to at this issuer. */
    List<String> subjectsAt(OrgId org, UserId user, String issuer) {
        return jdbc.sql("SELECT subject FROM user_identities WHERE org_id = ? AND user_id = ? AND issuer = ?")
                .params(org.value(), user.value(), issuer).query(String.class).list();
    }

    void link(OrgId org, String identityHash, UserId user, String issuer, String subject, Instant at) {
        jdbc.sql("INSERT INTO user_identities (org_id, identity_hash, user_id, issuer, subject, created_at, last_sign_in) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(org.value(), identityHash, user.value(), issuer, subject, utc(at), utc(at)).update();
    }

    void signedIn(OrgId org, String identityHash, Instant at) {
        jdbc.sql("UPDATE user_identities SET last_sign_in = ? WHERE org_id = ? AND identity_hash = ?")
                .params(utc(at), org.value(), identityHash).update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
