package dev.warden.server.demo;

import dev.warden.server.tenancy.Tenants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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

    private final Tenants tenants;
    private final DemoOrgs orgs;
    private final TransactionTemplate transaction;
    private final Path dataDir;

    private final String datasourceUrl;

    DemoSetup(Tenants tenants, DemoOrgs orgs, TransactionTemplate transaction, @Value("${warden.data-dir}") String dataDir,
              @Value("${spring.datasource.url}") String datasourceUrl) {
        this.datasourceUrl = datasourceUrl;
        this.tenants = tenants;
        this.orgs = orgs;
        this.transaction = transaction;
        this.dataDir = Path.of(dataDir).toAbsolutePath().normalize();
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        if (!datasourceUrl.startsWith("jdbc:h2:")) {
            LOG.info("demo: not set up, since the metadata store is not the embedded one (a production deployment)");
            return;
        }
        Path warehouse = dataDir.resolve("warehouses").resolve(DemoOrgs.WAREHOUSE_PATH);
        if (!Files.exists(warehouse)) {
            LOG.info("demo: generating the demo warehouse (1,000,000 orders) at {}", warehouse);
            Files.createDirectories(warehouse.getParent());
            DemoWarehouse.generate(warehouse);
        }
        if (tenants.findBySlug("acme").isPresent()) {
            LOG.info("demo: orgs acme and globex exist; API keys are in {}", dataDir.resolve("demo-credentials.txt"));
            return;
        }
        String model = DemoOrgs.model();
        List<String> lines = new ArrayList<>();
        lines.add("# Warden demo API keys, written once when the demo was created. Keep this file private.");
        lines.add("# Use one as: curl -H \"Authorization: Bearer $KEY\" http://localhost:8080/api/v1/me");
        for (String slug : List.of("acme", "globex")) {
            DemoOrgs.Created created = transaction.execute(status -> orgs.create(slug, slug, model));
            lines.add("");
            lines.add("# org " + slug);
            created.people().forEach(p -> lines.add(p.name().toUpperCase(java.util.Locale.ROOT) + "=" + p.key()
                    + "   # " + p.email() + ", " + p.orgRole() + (p.connectionRole() == null ? "" : ", " + p.connectionRole())
                    + ", " + p.attributes()));
        }
        Path file = dataDir.resolve("demo-credentials.txt");
        Path tmp = Files.createTempFile(dataDir, "demo-credentials", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("demo: created orgs acme and globex; API keys written to {}", file);
    }

}
