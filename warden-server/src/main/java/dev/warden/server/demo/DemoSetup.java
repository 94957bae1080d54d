package dev.warden.server.demo;

import dev.warden.server.access.AccessContext;
import dev.warden.server.demo.idp.DemoIdentityProvider;
import dev.warden.server.identity.sso.SsoSettings;
import dev.warden.server.tenancy.Org;
import dev.warden.server.tenancy.Tenants;
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
import org.springframework.beans.factory.ObjectProvider;
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
 * Every start, also when the orgs exist from an earlier run, points each demo org's OIDC sign-in
 * at its demo identity provider ({@link DemoIdentityProvider}), whose client secret is new at
 * every start. Off with {@code WARDEN_DEMO=false} (and always off when Warden runs on PostgreSQL).
 */
@Component
@ConditionalOnWebApplication
@ConditionalOnProperty(name = "warden.demo.enabled", havingValue = "true")
final class DemoSetup implements ApplicationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSetup.class);

    private final Tenants tenants;
    private final DemoOrgs orgs;
    private final TransactionTemplate transaction;
    private final SsoSettings sso;
    private final ObjectProvider<DemoIdentityProvider> idp;
    private final Path dataDir;

    private final String datasourceUrl;

    DemoSetup(Tenants tenants, DemoOrgs orgs, TransactionTemplate transaction, SsoSettings sso,
              ObjectProvider<DemoIdentityProvider> idp, @Value("${warden.data-dir}") String dataDir,
              @Value("${spring.datasource.url}") String datasourceUrl) {
        this.datasourceUrl = datasourceUrl;
        this.sso = sso;
        this.idp = idp;
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
        } else {
            createOrgs();
        }
        useDemoIdentityProvider();
    }

    private void createOrgs() throws java.io.IOException {
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

    /**
     * Points each demo org's OIDC settings at its demo identity provider, with this start's client
     * secret. A failure leaves that org without browser sign-in and the demo otherwise running.
     */
    private void useDemoIdentityProvider() {
        DemoIdentityProvider provider = idp.getIfAvailable();
        if (provider == null) {
            return;
        }
        for (String slug : List.of("acme", "globex")) {
            Optional<Org> org = tenants.findBySlug(slug);
            Optional<DemoIdentityProvider.Client> client = provider.client(slug);
            if (org.isEmpty() || client.isEmpty()) {
                continue;
            }
            Optional<AccessContext> admin = orgs.adminContext(org.get().id(), slug);
            if (admin.isEmpty()) {
                LOG.warn("demo: org {} has no active admin left, so its browser sign-in is not set up", slug);
                continue;
            }
            try {
                sso.saveOidc(admin.get(), new SsoSettings.OidcConfig(null, null, provider.issuer(slug),
                        client.get().id(), null, Map.of(), null, null, null, null, null, false, client.get().secret()));
                LOG.info("demo: org {} signs in with the demo identity provider {} (demo-only, loopback callers only)",
                        slug, provider.issuer(slug));
            } catch (RuntimeException e) {
                // SsoSettings' refusals name the setting, never the secret (an issuer that is neither https nor loopback).
                LOG.warn("demo: org {} keeps its earlier sign-in settings: {}", slug, e.getMessage());
            }
        }
    }
}
