package dev.warden.server.tenancy;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.OrgRole;
import dev.warden.server.access.UserId;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.problem.Conflict;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.problem.ResourceNotFound;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The people of an org, managed by its admins. Every change is audited in the same transaction,
 * with its before and after. An org never loses its last active admin.
 */
@Service
@Transactional
public class People {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");

    private final UserRepository users;
    private final AuditLog audit;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    public People(UserRepository users, AuditLog audit, Clock clock,
                  org.springframework.context.ApplicationEventPublisher events) {
        this.users = users;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    public record NewUser(String email, String displayName, OrgRole orgRole) {}

    public record UserChange(Optional<String> displayName, Optional<OrgRole> orgRole, Optional<Boolean> disabled) {
        public UserChange {
            displayName = displayName == null ? Optional.empty() : displayName;
            orgRole = orgRole == null ? Optional.empty() : orgRole;
            disabled = disabled == null ? Optional.empty() : disabled;
        }
    }

    @Transactional(readOnly = true)
    public List<User> list(AccessContext context) {
        return users.list(context.orgId());
    }

    @Transactional(readOnly = true)
    public User get(AccessContext context, UserId id) {
        return users.find(context.orgId(), id).orElseThrow(() -> new ResourceNotFound("user"));
    }

    public User create(AccessContext context, NewUser request) {
        String email = normalizeEmail(request.email());
        String name = displayName(request.displayName() == null ? email : request.displayName());
        OrgRole role = request.orgRole() == null ? OrgRole.MEMBER : request.orgRole();
        if (users.findByEmail(context.orgId(), email).isPresent()) {
            throw new Conflict("a user with that email already exists in this org");
        }
        var now = clock.instant();
        User user = new User(UserId.random(), context.orgId(), email, name, role, false, now, now);
        users.insert(user);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "user.create")
                .target("user", user.id()).requestId(context.requestId())
                .details(Map.of("after", describe(user))).build());
        return user;
    }

    public User change(AccessContext context, UserId id, UserChange change) {
        User before = users.findForUpdate(context.orgId(), id).orElseThrow(() -> new ResourceNotFound("user"));
        User after = new User(before.id(), before.orgId(), before.email(),
                change.displayName().map(People::displayName).orElse(before.displayName()),
                change.orgRole().orElse(before.orgRole()),
                change.disabled().orElse(before.disabled()),
                before.createdAt(), clock.instant());
        boolean stopsBeingActiveAdmin = isActiveAdmin(before) && !isActiveAdmin(after);
        if (stopsBeingActiveAdmin) {
            requireAnotherActiveAdmin(context, before.id());
        }
        users.update(after);
        if (after.disabled() && !before.disabled()) {
            events.publishEvent(new PersonDisabled(after.orgId(), after.id()));
        }
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "user.update")
                .target("user", id).requestId(context.requestId())
                .details(Map.of("before", describe(before), "after", describe(after))).build());
        return after;
    }

    public void delete(AccessContext context, UserId id) {
        User before = users.findForUpdate(context.orgId(), id).orElseThrow(() -> new ResourceNotFound("user"));
        if (isActiveAdmin(before)) {
            requireAnotherActiveAdmin(context, id);
        }
        users.delete(context.orgId(), id);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "user.delete")
                .target("user", id).requestId(context.requestId())
                .details(Map.of("before", describe(before))).build());
    }

    private void requireAnotherActiveAdmin(AccessContext context, UserId leaving) {
        boolean another = users.lockActiveAdmins(context.orgId()).stream().anyMatch(a -> !a.equals(leaving));
        if (!another) {
            throw new Conflict("this is the org's last active admin; make someone else an admin first");
        }
    }

    private static boolean isActiveAdmin(User u) {
        return u.orgRole() == OrgRole.ORG_ADMIN && !u.disabled();
    }

    static Map<String, Object> describe(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("email", u.email());
        m.put("display_name", u.displayName());
        m.put("org_role", u.orgRole().name());
        m.put("disabled", u.disabled());
        return m;
    }

    public static String normalizeEmail(String email) {
        if (email == null || email.isBlank()) {
            throw new InvalidRequest("email is required");
        }
        String trimmed = email.strip().toLowerCase(Locale.ROOT);
        if (trimmed.length() > 320 || !EMAIL.matcher(trimmed).matches()) {
            throw new InvalidRequest("email is not a valid address");
        }
        return trimmed;
    }

    private static String displayName(String name) {
        String trimmed = name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 200) {
            throw new InvalidRequest("display_name must have 1 to 200 characters");
        }
        return trimmed;
    }
}
