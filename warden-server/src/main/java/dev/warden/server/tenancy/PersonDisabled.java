package dev.warden.server.tenancy;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.util.Objects;

/**
 * Published, inside the transaction that disables a person, so that whatever keeps a person
 * signed in (browser sessions) ends with it. Listeners run in the same transaction.
 */
public record PersonDisabled(OrgId org, UserId user) {
    public PersonDisabled {
        Objects.requireNonNull(org, "org is null");
        Objects.requireNonNull(user, "user is null");
    }
}
