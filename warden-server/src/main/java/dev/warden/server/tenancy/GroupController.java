package dev.warden.server.tenancy;

import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.Permission;
import dev.warden.server.access.Requires;
import dev.warden.server.access.UserId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Groups of the caller's org (ORG_ADMIN). */
@RestController
@RequestMapping("/api/v1/groups")
final class GroupController {
    private final Groups groups;
    private final CurrentAccess access;

    GroupController(Groups groups, CurrentAccess access) {
        this.groups = groups;
        this.access = access;
    }

    record GroupView(UUID id, String name, String description, List<UUID> members, Instant createdAt,
                     Instant updatedAt) {
        static GroupView of(Group g) {
            return new GroupView(g.id(), g.name(), g.description(), g.members().stream().map(UserId::value).toList(),
                    g.createdAt(), g.updatedAt());
        }
    }

    @GetMapping
    @Requires(Permission.GROUPS_READ)
    List<GroupView> list() {
        return groups.list(access.require()).stream().map(GroupView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Requires(Permission.GROUPS_WRITE)
    GroupView create(@RequestBody Groups.NewGroup request) {
        return GroupView.of(groups.create(access.require(), request));
    }

    @GetMapping("/{id}")
    @Requires(Permission.GROUPS_READ)
    GroupView get(@PathVariable UUID id) {
        return GroupView.of(groups.get(access.require(), id));
    }

    @PatchMapping("/{id}")
    @Requires(Permission.GROUPS_WRITE)
    GroupView change(@PathVariable UUID id, @RequestBody Groups.GroupChange change) {
        return GroupView.of(groups.change(access.require(), id, change));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.GROUPS_WRITE)
    void delete(@PathVariable UUID id) {
        groups.delete(access.require(), id);
    }
}
