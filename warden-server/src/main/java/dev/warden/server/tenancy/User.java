package dev.warden.server.tenancy;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.OrgRole;
import dev.warden.server.access.UserId;
import java.time.Instant;

/** A person of one org. There is no password: people sign in through their org's IdP. */
public record User(UserId id, OrgId orgId, String email, String displayName, OrgRole orgRole, boolean disabled,
                   Instant createdAt, Instant updatedAt) {}
