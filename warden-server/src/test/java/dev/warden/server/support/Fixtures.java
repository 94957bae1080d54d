package dev.warden.server.support;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.OrgRole;
import dev.warden.server.access.UserId;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.identity.ApiKeys;
import dev.warden.server.tenancy.Tenants;
import dev.warden.server.tenancy.User;
import dev.warden.server.tenancy.UserRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.test.context.TestComponent;

/** Builds orgs and people for tests through the same services production uses. */
@TestComponent
public class Fixtures {
    private final Tenants tenants;
    private final ApiKeys keys;
    private final UserRepository users;

    public Fixtures(Tenants tenants, ApiKeys keys, UserRepository users) {
        this.tenants = tenants;
        this.keys = keys;
        this.users = users;
    }

    /** A person of a test org and a working API key of theirs. */
    public record Person(OrgId org, UserId id, String email, OrgRole role, String key) {}

    /** An org with its first admin. */
    public record TestOrg(OrgId id, String slug, Person admin) {}

    public TestOrg org() {
        String slug = "t" + UUID.randomUUID().toString().substring(0, 12);
        Tenants.NewOrg created = tenants.createOrg(slug, "Test " + slug, "admin@" + slug + ".test",
                AuditActor.system("test fixture"));
        User admin = created.admin();
        return new TestOrg(created.org().id(), slug, new Person(admin.orgId(), admin.id(), admin.email(),
                admin.orgRole(), key(admin.orgId(), admin.id())));
    }

    public Person person(TestOrg org, OrgRole role) {
        String email = "p" + UUID.randomUUID().toString().substring(0, 8) + "@" + org.slug() + ".test";
        Instant now = Instant.now();
        User user = new User(UserId.random(), org.id(), email, email, role, false, now, now);
        users.insert(user);
        return new Person(org.id(), user.id(), email, role, key(org.id(), user.id()));
    }

    public String key(OrgId org, UserId user) {
        return keys.issue(org, user, new ApiKeys.NewKey("test", Optional.empty()), AuditActor.system("test fixture"),
                Optional.empty()).secretText();
    }
}
