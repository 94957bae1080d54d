package dev.warden.server.tenancy;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.OrgRole;
import dev.warden.server.access.UserId;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.audit.AuditRepository;
import dev.warden.server.keys.OrgKeys;
import dev.warden.server.problem.Conflict;
import dev.warden.server.problem.InvalidRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Creating orgs: a deployment-level act (bootstrap command, demo), never an API of any org. */
@Service
@Transactional
public class Tenants {
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$");

    private final OrgRepository orgs;
    private final UserRepository users;
    private final AuditRepository chains;
    private final AuditLog audit;
    private final OrgKeys keys;
    private final Clock clock;

    public Tenants(OrgRepository orgs, UserRepository users, AuditRepository chains, AuditLog audit, OrgKeys keys,
                   Clock clock) {
        this.orgs = orgs;
        this.users = users;
        this.chains = chains;
        this.audit = audit;
        this.keys = keys;
        this.clock = clock;
    }

    public record NewOrg(Org org, User admin) {}

    @Transactional(readOnly = true)
    public Optional<Org> findBySlug(String slug) {
        return orgs.findBySlug(slug);
    }

    @Transactional(readOnly = true)
    public Optional<Org> find(OrgId id) {
        return orgs.findById(id);
    }

    /** An org as it is now, with its access generation (see {@link AccessGenerations}). */
    public record OrgNow(Org org, long generation) {}

    /** The org and its access generation, read in one statement and without a transaction of its own. */
    @Transactional(readOnly = true, propagation = Propagation.SUPPORTS)
    public Optional<OrgNow> now(OrgId id) {
        return orgs.findWithGeneration(id);
    }

    /** Creates an org, its audit chain and its first admin, in one transaction. */
    public NewOrg createOrg(String slug, String name, String adminEmail, AuditActor actor) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw new InvalidRequest("org slug must be 1 to 63 lowercase letters, digits or inner hyphens");
        }
        String email = People.normalizeEmail(adminEmail);
        if (orgs.findBySlug(slug).isPresent()) {
            throw new Conflict("an org with slug '" + slug + "' already exists; nothing was changed");
        }
        Instant now = clock.instant();
        Org org = new Org(OrgId.random(), slug, name == null || name.isBlank() ? slug : name.strip(), 100_000,
                Optional.empty(), now);
        orgs.insert(org);
        chains.createChain(org.id());
        keys.createFor(org.id());
        User admin = new User(UserId.random(), org.id(), email, email, OrgRole.ORG_ADMIN, false, now, now);
        users.insert(admin);
        audit.append(org.id(), AuditRecord.of(actor, "org.create").target("org", org.id())
                .details(Map.of("slug", slug, "name", org.name())).build());
        audit.append(org.id(), AuditRecord.of(actor, "user.create").target("user", admin.id())
                .details(Map.of("after", People.describe(admin))).build());
        return new NewOrg(org, admin);
    }
}
