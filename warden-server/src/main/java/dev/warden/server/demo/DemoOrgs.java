package dev.warden.server.demo;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.AccessContext;
import dev.warden.server.access.ActorKind;
import dev.warden.server.access.OrgId;
import dev.warden.server.access.OrgRole;
import dev.warden.server.access.UserId;
import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.connections.ConnectionRequest;
import dev.warden.server.connections.ConnectionType;
import dev.warden.server.connections.Connections;
import dev.warden.server.identity.ApiKeys;
import dev.warden.server.models.ModelRecord;
import dev.warden.server.models.Models;
import dev.warden.server.tenancy.People;
import dev.warden.server.tenancy.Tenants;
import dev.warden.server.tenancy.User;
import dev.warden.server.tenancy.UserRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The demo orgs and their people (demo/README.md): built through the same services an admin's
 * API calls go through, so that the demo exercises the real paths. Used by {@code DemoSetup} for
 * {@code acme} and {@code globex}, and by tests under fresh slugs.
 */
@Component
public final class DemoOrgs {
    /** Where the demo warehouse lives, under the deployment's warehouse directory. */
    public static final String WAREHOUSE_PATH = "demo/warehouse.duckdb";

    /** A demo person as planned, and once created, their id and API key. */
    public record Person(String name, OrgRole orgRole, ConnectionRole connectionRole, Map<String, List<String>> attributes,
                         String email, UserId id, String key) {}

    public record Created(OrgId org, UUID connection, UUID model, List<Person> people) {
        public Person person(String name) {
            return people.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }
    }

    /** A demo person as planned in demo/README.md: the first of each org is its admin. */
    public record Plan(String name, OrgRole orgRole, ConnectionRole connectionRole, Map<String, List<String>> attributes) {
        /** The person's email in an org of that slug (lower case, as Warden stores emails). */
        public String email(String slug) {
            return name + "@" + slug + ".example";
        }
    }

    private static final Map<String, List<Plan>> PEOPLE = Map.of(
            "acme", List.of(
                    new Plan("ava", OrgRole.ORG_ADMIN, null,
                            Map.of("region", List.of("all"), "department", List.of("exec"), "pii_access", List.of("yes"))),
                    new Plan("ben", OrgRole.MEMBER, ConnectionRole.QUERIER,
                            Map.of("region", List.of("north"), "department", List.of("sales"))),
                    new Plan("cara", OrgRole.MEMBER, ConnectionRole.RESTRICTED_QUERIER,
                            Map.of("region", List.of("south"), "department", List.of("finance"))),
                    new Plan("dan", OrgRole.MEMBER, ConnectionRole.VIEWER,
                            Map.of("region", List.of("east"), "department", List.of("sales")))),
            "globex", List.of(
                    new Plan("gwen", OrgRole.ORG_ADMIN, null,
                            Map.of("region", List.of("all"), "department", List.of("ops"), "pii_access", List.of("no"))),
                    new Plan("gus", OrgRole.MEMBER, ConnectionRole.MODELER,
                            Map.of("region", List.of("east", "west"), "department", List.of("finance"),
                                    "pii_access", List.of("yes"))),
                    new Plan("gia", OrgRole.MEMBER, ConnectionRole.RESTRICTED_QUERIER,
                            Map.of("department", List.of("support")))));

    private final Tenants tenants;
    private final People people;
    private final AttributeRepository attributes;
    private final Connections connections;
    private final Models models;
    private final ApiKeys keys;
    private final UserRepository users;
    private final java.nio.file.Path warehouses;

    DemoOrgs(Tenants tenants, People people, AttributeRepository attributes, Connections connections, Models models,
             ApiKeys keys, UserRepository users,
             @org.springframework.beans.factory.annotation.Value("${warden.data-dir}") String dataDir) {
        this.tenants = tenants;
        this.people = people;
        this.attributes = attributes;
        this.connections = connections;
        this.models = models;
        this.keys = keys;
        this.users = users;
        this.warehouses = java.nio.file.Path.of(dataDir).toAbsolutePath().normalize().resolve("warehouses");
    }

    /**
     * Puts a warehouse file into an org's own warehouse directory (a hard link where the file
     * system allows, else a copy): DuckDB paths resolve under the org's directory only, so no org
     * can name another org's file.
     */
    public static void placeWarehouse(java.nio.file.Path source, java.nio.file.Path target) {
        try {
            java.nio.file.Files.createDirectories(target.getParent());
            if (java.nio.file.Files.exists(target)) {
                return;
            }
            try {
                java.nio.file.Files.createLink(target, source);
            } catch (IOException | UnsupportedOperationException linkFailed) {
                java.nio.file.Files.copy(source, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The people of a demo org ("acme" or "globex"), in order. */
    public static List<Plan> plan(String template) {
        return PEOPLE.get(template);
    }

    /** The demo model's YAML, as shipped. */
    public static String model() {
        try (InputStream in = DemoOrgs.class.getClassLoader().getResourceAsStream("demo/model.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing resource demo/model.yaml");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates an org under {@code slug} with the people of demo org {@code template} ("acme" or
     * "globex"), their attributes, roles and keys, a DuckDB connection to the demo warehouse and
     * the demo model, active. Emails use the slug's domain.
     */
    public Created create(String slug, String template, String modelYaml) {
        List<Plan> plans = PEOPLE.get(template);
        Plan first = plans.getFirst();
        Tenants.NewOrg org = tenants.createOrg(slug, Character.toUpperCase(slug.charAt(0)) + slug.substring(1) + " (demo)",
                first.email(slug), AuditActor.system("demo setup"));
        placeWarehouse(warehouses.resolve(WAREHOUSE_PATH), warehouses.resolve(org.org().id().toString()).resolve(WAREHOUSE_PATH));
        AccessContext admin = adminContext(org.org().id(), org.admin());
        for (String name : List.of("region", "department", "pii_access")) {
            attributes.define(org.org().id(), new AttributeRepository.Definition(name, "string", name.equals("region"),
                    null, "demo attribute"));
        }
        var connection = connections.create(admin, new ConnectionRequest("demo_warehouse", ConnectionType.DUCKDB, null,
                null, null, null, WAREHOUSE_PATH, null, null, null, null, null, null, 60, 4, ConnectionRole.NO_ACCESS,
                null, null, null)).connection();
        ModelRecord model = models.create(admin, new Models.NewModel("shop", connection.id()));
        models.addVersion(admin, model.id(), modelYaml);
        models.activate(admin, model.id(), 1);

        List<Person> created = new ArrayList<>();
        for (Plan p : plans) {
            UserId id = p == first ? org.admin().id()
                    : people.create(admin, new People.NewUser(p.email(slug), p.name(), p.orgRole())).id();
            p.attributes().forEach((name, values) -> attributes.setValues(org.org().id(), id, name, values));
            if (p.connectionRole() != null) {
                connections.grant(admin, connection.id(), id, p.connectionRole());
            }
            String key = keys.issue(org.org().id(), id, new ApiKeys.NewKey("demo", Optional.empty()),
                    AuditActor.system("demo setup"), Optional.empty()).secretText();
            created.add(new Person(p.name(), p.orgRole(), p.connectionRole(), p.attributes(), p.email(slug), id, key));
        }
        return new Created(org.org().id(), connection.id(), model.id(), List.copyOf(created));
    }

    /**
     * An admin's context in a demo org that exists, for settings only an admin may change: the
     * demo's planned admin (ava, gwen) while they are an active admin, else any active admin.
     * Empty when the org has none left (someone changed the demo that far).
     */
    Optional<AccessContext> adminContext(OrgId org, String template) {
        String planned = PEOPLE.get(template).getFirst().email(template);
        List<User> admins = users.list(org).stream().filter(u -> u.orgRole() == OrgRole.ORG_ADMIN && !u.disabled()).toList();
        return admins.stream().filter(u -> u.email().equals(planned)).findFirst()
                .or(() -> admins.stream().findFirst())
                .map(u -> adminContext(org, u));
    }

    private static AccessContext adminContext(OrgId org, User admin) {
        return new AccessContext(org, Optional.of(admin.id()), admin.email(), OrgRole.ORG_ADMIN, Map.of(), ActorKind.USER,
                Optional.empty(), "demo-setup");
    }
}
