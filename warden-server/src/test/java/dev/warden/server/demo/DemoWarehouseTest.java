package dev.warden.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo warehouse is complete, consistent, plausible and the same on every run. */
class DemoWarehouseTest {
    @TempDir
    static Path dir;

    private static Path warehouse;
    private static String fingerprint;

    @BeforeAll
    static void generateOnce() {
        warehouse = dir.resolve("demo.duckdb");
        long started = System.nanoTime();
        DemoWarehouse.generate(warehouse);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("DemoWarehouse.generate took " + millis + " ms");
        fingerprint = DemoWarehouse.fingerprint(warehouse);
    }

    @Test
    void generatingAgainGivesTheSameData() {
        Path second = dir.resolve("again.duckdb");
        DemoWarehouse.generate(second);

        assertThat(DemoWarehouse.fingerprint(second)).isEqualTo(fingerprint);
    }

    @Test
    void theFingerprintNoticesAChangeOfOneValue() throws Exception {
        Path changed = dir.resolve("changed.duckdb");
        Files.copy(warehouse, changed);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + changed); Statement s = c.createStatement()) {
            // Same count, same sums, same regions: only the content hash can tell.
            s.execute("UPDATE main.orders SET created_at = created_at + INTERVAL 1 SECOND WHERE id = 500000");
        }

        assertThat(DemoWarehouse.fingerprint(changed)).isNotEqualTo(fingerprint);
    }

    @Test
    void rowCountsAreTheDocumentedOnes() throws Exception {
        assertThat(DemoWarehouse.ORDERS).isGreaterThanOrEqualTo(1_000_000);
        assertThat(scalar("SELECT count(*) FROM main.products")).isEqualTo(DemoWarehouse.PRODUCTS);
        assertThat(scalar("SELECT count(*) FROM main.users")).isEqualTo(DemoWarehouse.USERS);
        assertThat(scalar("SELECT count(*) FROM main.orders")).isEqualTo(DemoWarehouse.ORDERS);
    }

    @Test
    void idsAreUniqueAndEveryReferenceResolves() throws Exception {
        assertThat(scalar("SELECT count(DISTINCT id) FROM main.products")).isEqualTo(DemoWarehouse.PRODUCTS);
        assertThat(scalar("SELECT count(DISTINCT id) FROM main.users")).isEqualTo(DemoWarehouse.USERS);
        assertThat(scalar("SELECT count(DISTINCT id) FROM main.orders")).isEqualTo(DemoWarehouse.ORDERS);
        assertThat(scalar("SELECT count(DISTINCT email) FROM main.users")).isEqualTo(DemoWarehouse.USERS);
        assertThat(scalar("""
                SELECT count(*) FROM main.orders o LEFT JOIN main.users u ON u.id = o.user_id WHERE u.id IS NULL""")).isZero();
        assertThat(scalar("""
                SELECT count(*) FROM main.orders o LEFT JOIN main.products p ON p.id = o.product_id WHERE p.id IS NULL""")).isZero();
        assertThat(scalar("SELECT count(*) FROM main.orders WHERE user_id IS NULL OR product_id IS NULL")).isZero();
    }

    @Test
    void valuesAreConsistentWithEachOther() throws Exception {
        // An order's amount and cost are its quantity times the product's price and unit cost.
        assertThat(scalar("""
                SELECT count(*) FROM main.orders o JOIN main.products p ON p.id = o.product_id
                WHERE o.amount_cents <> o.quantity * p.price_cents OR o.cost_cents <> o.quantity * p.cost_cents""")).isZero();
        assertThat(scalar("SELECT count(*) FROM main.products WHERE cost_cents <= 0 OR cost_cents >= price_cents")).isZero();
        assertThat(scalar("SELECT count(*) FROM main.orders WHERE quantity NOT BETWEEN 1 AND 3")).isZero();
        // Customers signed up before the order history starts.
        assertThat(scalar("SELECT count(*) FROM main.users WHERE signup_on >= DATE '2024-01-01'")).isZero();
    }

    @Test
    void distributionsArePlausible() throws Exception {
        assertThat(strings("SELECT DISTINCT region FROM main.users ORDER BY region"))
                .containsExactlyInAnyOrderElementsOf(DemoWarehouse.REGIONS);
        assertThat(strings("SELECT DISTINCT region FROM main.orders ORDER BY region"))
                .containsExactlyInAnyOrderElementsOf(DemoWarehouse.REGIONS);
        assertThat(strings("SELECT DISTINCT status FROM main.orders ORDER BY status"))
                .containsExactlyInAnyOrderElementsOf(DemoWarehouse.STATUSES);
        assertThat(strings("SELECT DISTINCT tier FROM main.users")).containsExactlyInAnyOrder("free", "plus", "pro");
        assertThat(scalar("SELECT count(DISTINCT category) FROM main.products")).isEqualTo(8);

        long test = scalar("SELECT count(*) FROM main.orders WHERE status = 'test'");
        assertThat(test).isBetween(DemoWarehouse.ORDERS / 100, DemoWarehouse.ORDERS * 5 / 100);
        // Each region holds a real share of the orders, and no region dominates.
        for (String region : DemoWarehouse.REGIONS) {
            assertThat(scalar("SELECT count(*) FROM main.orders WHERE region = '" + region + "'"))
                    .as(region).isBetween(DemoWarehouse.ORDERS / 10, DemoWarehouse.ORDERS * 4 / 10);
        }
        // Orders cover both years, every month of them, and nothing outside.
        assertThat(strings("SELECT min(created_at)::DATE || ' ' || max(created_at)::DATE FROM main.orders"))
                .containsExactly("2024-01-01 2025-12-31");
        assertThat(scalar("SELECT count(DISTINCT date_trunc('month', created_at)) FROM main.orders")).isEqualTo(24);
        // Nearly every customer has ordered, and a typical one several times.
        assertThat(scalar("SELECT count(DISTINCT user_id) FROM main.orders")).isGreaterThan(DemoWarehouse.USERS * 99 / 100);
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFileBehind() throws Exception {
        Path target = dir.resolve("replace").resolve("warehouse.duckdb");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "not a database");

        DemoWarehouse.generate(target);

        assertThat(DemoWarehouse.fingerprint(target)).isEqualTo(fingerprint);
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("warehouse.duckdb");
        }
    }

    private static long scalar(String sql) throws SQLException {
        try (Connection c = open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(String sql) throws SQLException {
        try (Connection c = open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static Connection open() throws SQLException {
        java.util.Properties readOnly = new java.util.Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:" + warehouse, readOnly);
    }
}
