package dev.warden.server.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * PostgreSQL (127.0.0.1:{@link #PG_PORT}, postgres, trust) and MariaDB (127.0.0.1:3306, root, no password)
 * as warehouses: a database with a random name holding a small deterministic shop, created for
 * one test class and dropped after it. Each engine is required under {@code CI=true} and skipped
 * (with the reason) when it does not answer otherwise.
 *
 * <p>The data: regions north, south, east; users 1..6, user {@code u} in region
 * {@code REGIONS[(u-1) % 3]}, named "User u"; orders 1..36, order {@code i} by user
 * {@code ((i-1) % 6) + 1} shipping to that user's region, {@code amount_cents = i * 101}, placed at
 * 2025-01-01 00:00 UTC plus {@code i} hours. Per region: 12 orders; totals north 212.10, south 224.22,
 * east 236.34.
 */
public final class TestWarehouses {
    /**
     * PostgreSQL's port: 5432, or {@code -Dwarden.test.warehouse.pg-port=N} to point the warehouse
     * tests at another server on loopback (one with SSL on, say).
     */
    public static final int PG_PORT = Integer.getInteger("warden.test.warehouse.pg-port", 5432);
    public static final String PG_URL = "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/";
    public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/";
    public static final List<String> REGIONS = List.of("north", "south", "east");

    private TestWarehouses() {}

    /** A warehouse database made for a test: where it is and who may read it. */
    public record Warehouse(String engine, String database, String user, String password) {}

    public static boolean postgresAnswers() {
        return answers(PG_URL + "postgres", "postgres", "");
    }

    /**
     * Whether a MariaDB server listens on 127.0.0.1:3306. A plain TCP check on purpose: whether
     * this build can talk to it (has a driver) is what the tests find out, and must not turn a
     * missing driver into a skip.
     */
    public static boolean mariadbAnswers() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", 3306), 2_000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Skips the test when the engine does not answer, or fails it under CI=true. */
    public static void require(String engine, boolean answers) {
        if (answers) {
            return;
        }
        if (TestDatabase.required()) {
            fail(engine + " does not answer on loopback, and it is required under CI=true");
        }
        Assumptions.abort(engine + " does not answer on loopback (required only under CI=true)");
    }

    private static boolean answers(String url, String user, String password) {
        try {
            DriverManager.setLoginTimeout(3);
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                return c.isValid(2);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private static String randomName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A new PostgreSQL database with the shop in {@code public}; trust auth accepts any password. */
    public static Warehouse postgres() {
        String db = randomName("wtest_");
        execute(PG_URL + "postgres", "postgres", "", List.of("CREATE DATABASE " + db));
        execute(PG_URL + db, "postgres", "", shop("public", "TIMESTAMP", "TEXT"));
        return new Warehouse("postgres", db, "postgres", "pw-" + UUID.randomUUID());
    }

    /** A new MariaDB database with the shop, and a user with a password that may only SELECT from it. */
    public static Warehouse mariadb() {
        String db = randomName("wtest_");
        String user = randomName("wu_");
        String password = "pw-" + UUID.randomUUID();
        return mariadb(db, user, password);
    }

    public static Warehouse mariadb(String db, String user, String password) {
        List<String> sql = new ArrayList<>();
        sql.add("CREATE DATABASE " + db);
        sql.addAll(shop(db, "DATETIME", "VARCHAR(100)"));
        sql.add("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password.replace("'", "''") + "'");
        sql.add("GRANT SELECT ON " + db + ".* TO '" + user + "'@'%'");
        execute(MARIADB_URL, "root", "", sql);
        return new Warehouse("mysql", db, user, password);
    }

    public static void drop(Warehouse w) {
        if (w == null) {
            return;
        }
        if (w.engine().equals("postgres")) {
            execute(PG_URL + "postgres", "postgres", "", List.of("DROP DATABASE IF EXISTS " + w.database() + " WITH (FORCE)"));
        } else {
            execute(MARIADB_URL, "root", "", List.of("DROP USER IF EXISTS '" + w.user() + "'@'%'",
                    "DROP DATABASE IF EXISTS " + w.database()));
        }
    }

    private static List<String> shop(String schema, String timestamp, String text) {
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE " + schema + ".users (id INTEGER PRIMARY KEY, name " + text + ", region " + text + ")");
        sql.add("CREATE TABLE " + schema + ".orders (id INTEGER PRIMARY KEY, user_id INTEGER, region " + text
                + ", amount_cents INTEGER, created_at " + timestamp + ")");
        StringBuilder users = new StringBuilder("INSERT INTO " + schema + ".users VALUES ");
        for (int u = 1; u <= 6; u++) {
            users.append(u > 1 ? ", " : "").append("(").append(u).append(", 'User ").append(u).append("', '")
                    .append(REGIONS.get((u - 1) % 3)).append("')");
        }
        sql.add(users.toString());
        StringBuilder orders = new StringBuilder("INSERT INTO " + schema + ".orders VALUES ");
        for (int i = 1; i <= 36; i++) {
            int user = ((i - 1) % 6) + 1;
            orders.append(i > 1 ? ", " : "").append("(").append(i).append(", ").append(user).append(", '")
                    .append(REGIONS.get((user - 1) % 3)).append("', ").append(i * 101).append(", '2025-01-")
                    .append(String.format("%02d %02d", 1 + i / 24, i % 24)).append(":00:00')");
        }
        sql.add(orders.toString());
        return sql;
    }

    /** The shop's model on a connection named {@code wh}, tables in {@code schema}. */
    public static String model(String schema) {
        return """
                connection: wh
                default_topic_access_filters:
                  - field: orders.region
                    user_attribute: region
                    values_for_unfiltered: [all]
                views:
                  orders:
                    table: %1$s.orders
                    primary_key: id
                    dimensions:
                      id: { type: number, hidden: true }
                      user_id: { type: number, hidden: true }
                      region: { type: string }
                      amount: { type: number, sql: "${TABLE}.amount_cents * 0.01" }
                      created_at: { type: timestamp, timeframes: [hour, date] }
                    measures:
                      count: { type: count }
                      total_amount: { type: sum, sql: "${amount}" }
                  users:
                    table: %1$s.users
                    primary_key: id
                    dimensions:
                      id: { type: number, hidden: true }
                      name: { type: string }
                topics:
                  orders:
                    base_view: orders
                    joins:
                      users: { on: "${orders.user_id} = ${users.id}", relationship: many_to_one }
                """.formatted(schema);
    }

    public static void execute(String url, String user, String password, List<String> statements) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            if (url.startsWith("jdbc:mariadb:") && e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
                throw new IllegalStateException("MariaDB answers on 127.0.0.1:3306, but warden-server has no MariaDB JDBC "
                        + "driver on its classpath (org.mariadb.jdbc:mariadb-java-client is missing from "
                        + "warden-server/pom.xml), so connections of type mysql cannot work", e);
            }
            throw new IllegalStateException("test warehouse setup failed (" + e.getSQLState() + "): " + e.getMessage(), e);
        }
    }

    public static String scalar(String url, String user, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * A MySQL or MariaDB server converts named time zones (Europe/Paris) only with its time zone
     * tables, and a freshly installed one has none. Loads them from the system's zoneinfo with
     * the server's own tool when the local test server lacks them: a one-time change to the local
     * server, as its documentation asks of every installation that uses named zones.
     */
    public static void mariadbTimeZoneTables() {
        if (!"0".equals(scalar(MARIADB_URL, "root", "SELECT COUNT(*) FROM mysql.time_zone_name"))) {
            return;
        }
        String script = null;
        for (String tool : List.of("mariadb-tzinfo-to-sql", "mysql_tzinfo_to_sql")) {
            try {
                Process p = new ProcessBuilder(tool, "/usr/share/zoneinfo")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor() == 0) {
                    script = out;
                    break;
                }
            } catch (java.io.IOException notInstalled) {
                // try the other name
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (script == null) {
            fail("MariaDB has no time zone tables and mariadb-tzinfo-to-sql is not installed to load them");
        }
        execute(MARIADB_URL + "mysql?allowMultiQueries=true", "root", "", List.of(script));
    }
}
