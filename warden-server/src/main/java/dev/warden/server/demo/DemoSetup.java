package dev.warden.server.demo;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.AccessContext;
import dev.warden.server.access.ActorKind;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded demo of {@code ./warden run}: on first start it generates the demo warehouse,
 * creates the orgs {@code acme} and {@code globex} with the people of {@code demo/README.md},
 * their attributes and roles, a connection and the demo model in each org, and writes their API
 * keys once to {@code data/demo-credentials.txt} (owner-only). Later starts find it done.
 * Off with {@code WARDEN_DEMO=false} (and always off when Warden runs on PostgreSQL).
 */
@Component
@ConditionalOnWebApplication
@ConditionalOnProperty(name = "warden.demo.enabled", havingValue = "true")
final class DemoSetup implements ApplicationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSetup.class);
    static final String WAREHOUSE_PATH = "demo/warehouse.duckdb";

    private record Person(String name, OrgRole orgRole, ConnectionRole connectionRole, Map<String, List<String>> attributes) {}

    private static final Map<String, List<Person>> PEOPLE = Map.of(
            "acme", List.of(
                    new Person("ava", OrgRole.ORG_ADMIN, null,
                            Map.of("region", List.of("all"), "department", List.of("exec"), "pii_access", List.of("yes"))),
                    new Person("ben", OrgRole.MEMBER, ConnectionRole.QUERIER,
                            Map.of("region", List.of("north"), "department", List.of("sales"))),
                    new Person("cara", OrgRole.MEMBER, ConnectionRole.RESTRICTED_QUERIER,
                            Map.of("region", List.of("south"), "department", List.of("finance"))),
                    new Person("dan", OrgRole.MEMBER, ConnectionRole.VIEWER,
                            Map.of("region", List.of("east"), "department", List.of("sales")))),
            "globex", List.of(
                    new Person("gwen", OrgRole.ORG_ADMIN, null,
                            Map.of("region", List.of("all"), "department", List.of("ops"), "pii_access", List.of("no"))),
                    new Person("gus", OrgRole.MEMBER, ConnectionRole.MODELER,
                            Map.of("region", List.of("east", "west"), "department", List.of("finance"),
                                    "pii_access", List.of("yes"))),
                    new Person("gia", OrgRole.MEMBER, ConnectionRole.RESTRICTED_QUERIER,
                            Map.of("department", List.of("support")))));

    private final Tenants tenants;
    private final People people;
    private final AttributeRepository attributes;
    private final Connections connections;
    private final Models models;
    private final ApiKeys keys;
    private final TransactionTemplate transaction;
    private final Path dataDir;

    DemoSetup(Tenants tenants, People people, AttributeRepository attributes, Connections connections, Models models,
              ApiKeys keys, TransactionTemplate transaction, @Value("${warden.data-dir}") String dataDir) {
        this.tenants = tenants;
        this.people = people;
        this.attributes = attributes;
        this.connections = connections;
        this.models = models;
        this.keys = keys;
        this.transaction = transaction;
        this.dataDir = Path.of(dataDir).toAbsolutePath().normalize();
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        Path warehouse = dataDir.resolve("warehouses").resolve(WAREHOUSE_PATH);
        if (!Files.exists(warehouse)) {
            LOG.info("demo: generating the demo warehouse (1,000,000 orders) at {}", warehouse);
            Files.createDirectories(warehouse.getParent());
            DemoWarehouse.generate(warehouse);
        }
        if (tenants.findBySlug("acme").isPresent()) {
            LOG.info("demo: orgs acme and globex exist; API keys are in {}", dataDir.resolve("demo-credentials.txt"));
            return;
        }
        String model = read("demo/model.yaml");
        List<String> lines = new ArrayList<>();
        lines.add("# Warden demo API keys, written once when the demo was created. Keep this file private.");
        lines.add("# Use one as: curl -H \"Authorization: Bearer $KEY\" http://localhost:8080/api/v1/me");
        for (String slug : List.of("acme", "globex")) {
            transaction.executeWithoutResult(status -> lines.addAll(createOrg(slug, model)));
        }
        Path file = dataDir.resolve("demo-credentials.txt");
        Path tmp = Files.createTempFile(dataDir, "demo-credentials", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("demo: created orgs acme and globex; API keys written to {}", file);
    }

    private List<String> createOrg(String slug, String modelYaml) {
        List<Person> persons = PEOPLE.get(slug);
        Person first = persons.getFirst();
        Tenants.NewOrg org = tenants.createOrg(slug, slug.substring(0, 1).toUpperCase() + slug.substring(1) + " (demo)",
                email(first, slug), AuditActor.system("demo setup"));
        AccessContext admin = new AccessContext(org.org().id(), Optional.of(org.admin().id()), org.admin().email(),
                OrgRole.ORG_ADMIN, Map.of(), ActorKind.USER, Optional.empty(), "demo-setup");
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

        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("# org " + slug);
        for (Person p : persons) {
            UserId id = p == first ? org.admin().id()
                    : people.create(admin, new People.NewUser(email(p, slug), p.name(), p.orgRole())).id();
            p.attributes().forEach((name, values) -> attributes.setValues(org.org().id(), id, name, values));
            if (p.connectionRole() != null) {
                connections.grant(admin, connection.id(), id, p.connectionRole());
            }
            String key = keys.issue(org.org().id(), id, new ApiKeys.NewKey("demo", Optional.empty()),
                    AuditActor.system("demo setup"), Optional.empty()).secretText();
            lines.add(p.name().toUpperCase() + "=" + key + "   # " + email(p, slug) + ", " + p.orgRole()
                    + (p.connectionRole() == null ? "" : ", " + p.connectionRole()) + ", " + p.attributes());
        }
        return lines;
    }

    private static String email(Person p, String slug) {
        return p.name() + "@" + slug + ".example";
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = DemoSetup.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
