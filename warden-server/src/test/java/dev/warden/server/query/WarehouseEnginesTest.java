package dev.warden.server.query;

import static dev.warden.server.support.QueryFixtures.query;
import static dev.warden.server.support.QueryFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.OrgRole;
import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.connections.Connections;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import dev.warden.server.support.QueryFixtures;
import dev.warden.server.support.TestWarehouses;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * PostgreSQL and MariaDB as warehouses, end to end: a database with a small shop on each, a
 * connection with a password, the shop's model, and people whose {@code region} differs, each
 * getting exactly their rows. Also encryption in transit to PostgreSQL, checked against what the
 * local server really offers. Required under {@code CI=true}; skipped otherwise when the engine
 * does not answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarehouseEnginesTest extends ApiTest {
    private static final Map<String, Object> BY_REGION = query("orders",
            List.of("orders.region", "orders.count", "orders.total_amount"),
            "sorts", List.of(Map.of("field", "orders.region", "direction", "asc")));
    private static final List<String> EAST = List.of("east", "12", "236.34");
    private static final List<String> NORTH = List.of("north", "12", "212.10");
    private static final List<String> SOUTH = List.of("south", "12", "224.22");

    @Autowired
    AttributeRepository attributes;
    @Autowired
    Connections connections;

    private QueryFixtures q;
    private boolean postgres;
    private boolean mariadb;
    private final List<TestWarehouses.Warehouse> made = new ArrayList<>();

    @BeforeAll
    void engines() {
        q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        postgres = TestWarehouses.postgresAnswers();
        mariadb = TestWarehouses.mariadbAnswers();
    }

    @AfterAll
    void dropDatabases() {
        made.forEach(TestWarehouses::drop);
    }

    /** What PostgreSQL on loopback offers: {@code SHOW ssl}. */
    private boolean postgresSsl() {
        return "on".equals(TestWarehouses.scalar(TestWarehouses.PG_URL + "postgres", "postgres", "SHOW ssl"));
    }

    private Map<String, Object> postgresConnection(TestWarehouses.Warehouse w, String tlsMode) {
        Map<String, Object> c = new HashMap<>(Map.of("name", "wh", "type", "postgres", "host", "127.0.0.1", "port", TestWarehouses.PG_PORT,
                "database", w.database(), "user", w.user(), "password", w.password(), "tls_mode", tlsMode));
        return c;
    }

    private void assertPeopleSeeTheirRows(Fixtures.TestOrg org, String connection, String schema) {
        q.model(org, connection, "shop", TestWarehouses.model(schema));
        Fixtures.Person north = q.person(org, OrgRole.MEMBER, Map.of("region", List.of("north")));
        Fixtures.Person southEast = q.person(org, OrgRole.MEMBER, Map.of("region", List.of("south", "east")));
        Fixtures.Person nobody = q.person(org, OrgRole.MEMBER, Map.of());
        q.setAttributes(org, org.admin(), Map.of("region", List.of("all")));
        for (Fixtures.Person p : List.of(north, southEast, nobody)) {
            q.grant(org, connection, p, ConnectionRole.QUERIER);
        }

        assertThat(rows(q.query(north, BY_REGION))).containsExactly(NORTH);
        assertThat(rows(q.query(southEast, BY_REGION))).containsExactly(EAST, SOUTH);
        assertThat(rows(q.query(org.admin(), BY_REGION))).containsExactly(EAST, NORTH, SOUTH);
        Api.Response refused = q.query(nobody, BY_REGION);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("detail").stringValue()).contains("region");

        // Through the join: north's customers are users 1 and 4, with 6 orders each.
        Map<String, Object> byCustomer = query("orders", List.of("users.name", "orders.count"),
                "sorts", List.of(Map.of("field", "users.name", "direction", "asc")));
        assertThat(rows(q.query(north, byCustomer))).containsExactly(List.of("User 1", "6"), List.of("User 4", "6"));

        // A filter value the person sends is bound, and still cannot widen their rows.
        Map<String, Object> widen = new LinkedHashMap<>(BY_REGION);
        widen.put("filters", List.of(Map.of("field", "orders.region", "op", "in", "values", List.of("south", "north"))));
        assertThat(rows(q.query(north, widen))).containsExactly(NORTH);

        // Timestamps from the warehouse, in the query's zone.
        Map<String, Object> first = query("orders", List.of("orders.created_at[hour]"),
                "sorts", List.of(Map.of("field", "orders.created_at[hour]", "direction", "asc")), "limit", 1,
                "timezone", "Europe/Paris");
        assertThat(rows(q.query(north, first))).containsExactly(List.of("2025-01-01T02:00+01:00"));

        // CSV from the same engine.
        Api.Response csv = q.csv(southEast.key(), BY_REGION);
        assertThat(csv.body()).isEqualTo("orders.region,orders.count,orders.total_amount\r\neast,12,236.34\r\nsouth,12,224.22\r\n");
    }

    @Test
    void postgresAsAWarehouse() {
        TestWarehouses.require("PostgreSQL", postgres);
        TestWarehouses.Warehouse w = TestWarehouses.postgres();
        made.add(w);
        Fixtures.TestOrg org = q.org("region");
        String connection = q.connection(org, postgresConnection(w, postgresSsl() ? "require" : "disable"));
        Api.Response test = q.api().post(org.admin().key(), "/api/v1/connections/" + connection + "/test", null);
        assertThat(test.json().get("ok").booleanValue()).as(test.body()).isTrue();
        assertPeopleSeeTheirRows(org, connection, "public");
    }

    @Test
    void mariadbAsAWarehouse() {
        TestWarehouses.require("MariaDB", mariadb);
        TestWarehouses.Warehouse w = TestWarehouses.mariadb();
        made.add(w);
        Fixtures.TestOrg org = q.org("region");
        TestWarehouses.mariadbTimeZoneTables();
        // MariaDB on this machine has no TLS (have_ssl = DISABLED); loopback may go without it.
        String connection = q.connection(org, Map.of("name", "wh", "type", "mysql", "host", "127.0.0.1", "port", 3306,
                "database", w.database(), "user", w.user(), "password", w.password(), "tls_mode", "disable"));
        Api.Response test = q.api().post(org.admin().key(), "/api/v1/connections/" + connection + "/test", null);
        assertThat(test.json().get("ok").booleanValue()).as(test.body()).isTrue();
        assertPeopleSeeTheirRows(org, connection, w.database());

        // A zone the server's time zone tables lack (Java knows SystemV/EST5EDT, zoneinfo does not)
        // is refused in words that say what to do, instead of timestamps silently turned NULL.
        Map<String, Object> inSystemV = query("orders", List.of("orders.created_at[hour]"), "limit", 1,
                "timezone", "SystemV/EST5EDT");
        Api.Response unknownZone = q.query(org.admin(), inSystemV);
        assertThat(unknownZone.status()).as(unknownZone.body()).isEqualTo(502);
        assertThat(unknownZone.json().get("type").stringValue()).endsWith("warehouse-time-zone-unknown");
        assertThat(unknownZone.json().get("detail").stringValue()).contains("mysql_tzinfo_to_sql");
        // UTC goes as an offset, which needs no tables at all.
        Map<String, Object> inUtc = query("orders", List.of("orders.created_at[hour]"),
                "sorts", List.of(Map.of("field", "orders.created_at[hour]", "direction", "asc")), "limit", 1,
                "timezone", "UTC");
        assertThat(rows(q.query(org.admin(), inUtc))).containsExactly(List.of("2025-01-01T01:00Z"));

        // The password is really checked: a wrong one is refused as such.
        Api.Response wrong = q.api().patch(org.admin().key(), "/api/v1/connections/" + connection,
                Map.of("password", "not-" + w.password()));
        assertThat(wrong.status()).isEqualTo(200);
        Api.Response refused = q.api().post(org.admin().key(), "/api/v1/connections/" + connection + "/test", null);
        assertThat(refused.json().get("failure").stringValue()).as(refused.body()).isEqualTo("authentication");
    }

    private String tlsTest(Fixtures.TestOrg org, TestWarehouses.Warehouse w, String name, String mode, String caBundle) {
        Map<String, Object> body = postgresConnection(w, mode);
        body.put("name", name);
        if (caBundle != null) {
            body.put("tls_ca_bundle", caBundle);
        }
        String id = q.connection(org, body);
        Api.Response test = q.api().post(org.admin().key(), "/api/v1/connections/" + id + "/test", null);
        assertThat(test.status()).as(test.body()).isEqualTo(200);
        return test.json().get("ok").booleanValue() ? "ok" : test.json().get("failure").stringValue();
    }

    /**
     * Encryption in transit, against what this PostgreSQL really offers. With SSL on (the server's
     * certificate, read from {@code ssl_cert_file}, as the CA bundle): {@code require} and
     * {@code verify-ca} connect; {@code verify-full} to 127.0.0.1 connects only if the certificate
     * names that address (Debian's snakeoil certificate names the machine's host name, so it
     * fails with {@code tls}). Without SSL on the server, every mode that needs TLS fails with
     * {@code tls}, never silently in clear. {@code verify-full} without a CA bundle checks against
     * the JVM's trust store, which does not hold a self-signed certificate: {@code tls} either way.
     */
    @Test
    void postgresTlsModes() throws Exception {
        TestWarehouses.require("PostgreSQL", postgres);
        TestWarehouses.Warehouse w = TestWarehouses.postgres();
        made.add(w);
        Fixtures.TestOrg org = q.org("region");
        boolean ssl = postgresSsl();
        System.out.println("PostgreSQL on 127.0.0.1:" + TestWarehouses.PG_PORT + ": ssl = " + (ssl ? "on" : "off"));

        assertThat(tlsTest(org, w, "plain", "disable", null)).isEqualTo("ok");
        assertThat(tlsTest(org, w, "full_no_ca", "verify-full", null)).isEqualTo("tls");
        if (!ssl) {
            assertThat(tlsTest(org, w, "required", "require", null)).isEqualTo("tls");
            assertThat(tlsTest(org, w, "verify_ca_off", "verify-ca", null)).isEqualTo("tls");
            return;
        }
        assertThat(tlsTest(org, w, "required", "require", null)).isEqualTo("ok");
        String certFile = TestWarehouses.scalar(TestWarehouses.PG_URL + "postgres", "postgres", "SHOW ssl_cert_file");
        Path cert = Path.of(certFile).isAbsolute() ? Path.of(certFile) : Path.of(TestWarehouses.scalar(
                TestWarehouses.PG_URL + "postgres", "postgres", "SHOW data_directory")).resolve(certFile);
        String pem = Files.readString(cert, StandardCharsets.US_ASCII);
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        boolean names127 = x509.getSubjectAlternativeNames() != null && x509.getSubjectAlternativeNames().stream()
                .anyMatch(san -> "127.0.0.1".equals(String.valueOf(san.get(1))));
        System.out.println("server certificate: " + x509.getSubjectX500Principal() + ", SANs "
                + x509.getSubjectAlternativeNames());

        assertThat(tlsTest(org, w, "verify_ca", "verify-ca", pem)).isEqualTo("ok");
        assertThat(tlsTest(org, w, "verify_full", "verify-full", pem)).isEqualTo(names127 ? "ok" : "tls");
    }
}
