package dev.warden.server.tenancy;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.UserId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A named set of people of one org; roles and attribute values can be given to a group. */
public record Group(UUID id, OrgId orgId, String name, String description, List<UserId> members,
                    Instant createdAt, Instant updatedAt) {
    public Group {
        members = List.copyOf(members);
    }
}
