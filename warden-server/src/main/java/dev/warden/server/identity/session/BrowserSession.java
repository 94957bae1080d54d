package dev.warden.server.identity.session;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A browser session as stored: whose it is and until when it may last. It holds hashes only; the
 * cookie value and the CSRF token exist in the browser and nowhere else.
 *
 * @param realm {@link Realm#ORG} for a person of an org, {@link Realm#OPERATORS} for an operator
 * @param protocol how the person signed in: {@code oidc} or {@code saml}
 * @param lastSeenAt the last request, to within {@link BrowserSessions#TOUCH_INTERVAL}
 * @param absoluteExpiresAt the end, however active the session is
 */
public record BrowserSession(UUID id, Realm realm, Optional<OrgId> orgId, Optional<UserId> userId,
                             Optional<String> operatorId, String lookupId, byte[] secretHash, byte[] csrfHash,
                             String protocol, Instant createdAt, Instant lastSeenAt, Instant absoluteExpiresAt,
                             Optional<Instant> endedAt) {
    /** Whose session it is: an org's person, or an operator of the deployment. */
    public enum Realm { ORG, OPERATORS }

    public BrowserSession {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(realm, "realm is null");
        if (realm == Realm.ORG && (orgId.isEmpty() || userId.isEmpty() || operatorId.isPresent())) {
            throw new IllegalArgumentException("an org session has an org and a person, and no operator");
        }
        if (realm == Realm.OPERATORS && (orgId.isPresent() || userId.isPresent() || operatorId.isEmpty())) {
            throw new IllegalArgumentException("an operator session has an operator, and no org or person");
        }
        secretHash = secretHash.clone();
        csrfHash = csrfHash.clone();
    }

    @Override
    public byte[] secretHash() {
        return secretHash.clone();
    }

    @Override
    public byte[] csrfHash() {
        return csrfHash.clone();
    }

    @Override
    public String toString() {
        return "BrowserSession[id=" + id + ", realm=" + realm + ", org=" + orgId + ", user=" + userId
                + ", operator=" + operatorId + "]";
    }
}
