package dev.warden.server.tenancy;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.UserId;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.problem.Conflict;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.problem.ResourceNotFound;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The groups of an org, managed by its admins; every change audited with before and after. */
@Service
@Transactional
public class Groups {
    private final GroupRepository groups;
    private final AuditLog audit;
    private final Clock clock;

    public Groups(GroupRepository groups, AuditLog audit, Clock clock) {
        this.groups = groups;
        this.audit = audit;
        this.clock = clock;
    }

    public record NewGroup(String name, String description, List<UUID> members) {}

    public record GroupChange(Optional<String> name, Optional<String> description, Optional<List<UUID>> members) {
        public GroupChange {
            name = name == null ? Optional.empty() : name;
            description = description == null ? Optional.empty() : description;
            members = members == null ? Optional.empty() : members;
        }
    }

    @Transactional(readOnly = true)
    public List<Group> list(AccessContext context) {
        return groups.list(context.orgId());
    }

    @Transactional(readOnly = true)
    public Group get(AccessContext context, UUID id) {
        return groups.find(context.orgId(), id, false).orElseThrow(() -> new ResourceNotFound("group"));
    }

    public Group create(AccessContext context, NewGroup request) {
        String name = name(request.name());
        if (groups.nameTaken(context.orgId(), name, Optional.empty())) {
            throw new Conflict("a group with that name already exists in this org");
        }
        var now = clock.instant();
        Group group = new Group(UUID.randomUUID(), context.orgId(), name, description(request.description()),
                members(context, request.members() == null ? List.of() : request.members()), now, now);
        groups.insert(group);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "group.create")
                .target("group", group.id()).requestId(context.requestId())
                .details(Map.of("after", describe(group))).build());
        return group;
    }

    public Group change(AccessContext context, UUID id, GroupChange change) {
        Group before = groups.find(context.orgId(), id, true).orElseThrow(() -> new ResourceNotFound("group"));
        String name = change.name().map(Groups::name).orElse(before.name());
        if (!name.equals(before.name()) && groups.nameTaken(context.orgId(), name, Optional.of(id))) {
            throw new Conflict("a group with that name already exists in this org");
        }
        Group after = new Group(id, before.orgId(), name,
                change.description().map(Groups::description).orElse(before.description()),
                change.members().map(m -> members(context, m)).orElse(before.members()),
                before.createdAt(), clock.instant());
        groups.update(after);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "group.update")
                .target("group", id).requestId(context.requestId())
                .details(Map.of("before", describe(before), "after", describe(after))).build());
        return after;
    }

    public void delete(AccessContext context, UUID id) {
        Group before = groups.find(context.orgId(), id, true).orElseThrow(() -> new ResourceNotFound("group"));
        groups.delete(context.orgId(), id);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "group.delete")
                .target("group", id).requestId(context.requestId())
                .details(Map.of("before", describe(before))).build());
    }

    /** Members must be people of this org; an id of another org is as unknown as a made-up one. */
    private List<UserId> members(AccessContext context, List<UUID> requested) {
        Set<UserId> wanted = new LinkedHashSet<>();
        for (UUID id : requested) {
            if (id == null) {
                throw new InvalidRequest("members must not contain null");
            }
            wanted.add(new UserId(id));
        }
        Set<UserId> found = new HashSet<>(groups.existingUsers(context.orgId(), wanted));
        for (UserId id : wanted) {
            if (!found.contains(id)) {
                throw new InvalidRequest("members: no user with id " + id);
            }
        }
        return List.copyOf(wanted);
    }

    private static Map<String, Object> describe(Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        m.put("description", g.description());
        m.put("members", g.members().stream().map(UserId::toString).sorted().toList());
        return m;
    }

    private static String name(String name) {
        if (name == null || name.isBlank() || name.strip().length() > 200) {
            throw new InvalidRequest("name must have 1 to 200 characters");
        }
        return name.strip();
    }

    private static String description(String description) {
        if (description == null) {
            return "";
        }
        if (description.length() > 1000) {
            throw new InvalidRequest("description must have at most 1000 characters");
        }
        return description;
    }
}
