package dev.warden.server.tenancy;

import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.OrgRole;
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

/** People of the caller's org (ORG_ADMIN). */
@RestController
@RequestMapping("/api/v1/users")
final class UserController {
    private final People people;
    private final CurrentAccess access;

    UserController(People people, CurrentAccess access) {
        this.people = people;
        this.access = access;
    }

    record UserView(UUID id, String email, String displayName, OrgRole orgRole, boolean disabled,
                    Instant createdAt, Instant updatedAt) {
        static UserView of(User u) {
            return new UserView(u.id().value(), u.email(), u.displayName(), u.orgRole(), u.disabled(),
                    u.createdAt(), u.updatedAt());
        }
    }

    @GetMapping
    @Requires(Permission.USERS_READ)
    List<UserView> list() {
        return people.list(access.require()).stream().map(UserView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Requires(Permission.USERS_WRITE)
    UserView create(@RequestBody People.NewUser request) {
        return UserView.of(people.create(access.require(), request));
    }

    @GetMapping("/{id}")
    @Requires(Permission.USERS_READ)
    UserView get(@PathVariable UUID id) {
        return UserView.of(people.get(access.require(), new UserId(id)));
    }

    @PatchMapping("/{id}")
    @Requires(Permission.USERS_WRITE)
    UserView change(@PathVariable UUID id, @RequestBody People.UserChange change) {
        return UserView.of(people.change(access.require(), new UserId(id), change));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.USERS_WRITE)
    void delete(@PathVariable UUID id) {
        people.delete(access.require(), new UserId(id));
    }
}
