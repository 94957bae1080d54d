package dev.warden.server.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The demo warehouse: a DuckDB file with an online shop's {@code main.products},
 * {@code main.users} and {@code main.orders}, generated in a few seconds and the same on every
 * machine and every run.
 *
 * <p>Determinism: every value is a function of its row number, computed by DuckDB's
 * {@code hash()} (salted per column, so columns are independent) and plain arithmetic over
 * {@code range(...)}; nothing reads a clock or {@code random()}. Tables are written in id order.
 * {@link #fingerprint} summarises the content so that a test can prove it.
 *
 * <p>Atomicity: the database is built in a temporary file next to the target and moved into place
 * only once it is complete and checkpointed, so a reader never opens a half-written warehouse.
 * The caller must not have the target open while it is replaced.
 *
 * <p>Shape of the data (see {@code demo/README.md}): regions {@code north} 30 %, {@code south}
 * 25 %, {@code east} 25 %, {@code west} 20 % of users; an order ships to its buyer's region
 * 95 % of the time; statuses {@code complete} 70 %, {@code shipped} 12 %, {@code processing}
 * 7 %, {@code returned} 8 %, {@code test} 3 %; orders spread over 2024-01-01 to 2025-12-31 (UTC).
 */
public final class DemoWarehouse {
    public static final long PRODUCTS = 1_000;
    public static final long USERS = 100_000;
    public static final long ORDERS = 1_000_000;

    /** The user and order regions, in the order the demo documents them. */
    public static final List<String> REGIONS = List.of("north", "south", "east", "west");
    /** Order statuses; {@code test} marks orders the shop placed on itself, excluded by the model. */
    public static final List<String> STATUSES = List.of("complete", "shipped", "processing", "returned", "test");

    private DemoWarehouse() {}

    /**
     * A well-mixed draw in {@code [0, m)} for row {@code n}, independent per {@code salt}. The
     * multi-argument {@code hash(n, salt)} alone has periodic low bits (every third value of
     * {@code % 8} is 0), so its result is hashed once more. Temporary: not stored in the file.
     */
    private static final String DRAW_MACRO = "CREATE TEMP MACRO draw(n, salt, m) AS (hash(hash(n, salt)) % m)::INTEGER";

    private static final String PRODUCTS_SQL = """
            CREATE TABLE main.products AS
            SELECT id, name, category, brand, price_cents,
                   -- unit cost between 40 % and 75 % of the price
                   (price_cents * (40 + draw(id, 'cost', 36)) // 100)::INTEGER AS cost_cents
            FROM (
                SELECT id,
                       ['electronics', 'home', 'garden', 'toys', 'books', 'sports', 'beauty', 'grocery'][c + 1] AS category,
                       brand,
                       brand || ' ' || ['Classic', 'Pro', 'Mini', 'Max', 'Eco', 'Plus'][draw(id, 'adjective', 6) + 1]
                         || ' ' || [['Headphones', 'Charger', 'Speaker', 'Camera'],
                                    ['Lamp', 'Blanket', 'Kettle', 'Shelf'],
                                    ['Hose', 'Planter', 'Shears', 'Seeds'],
                                    ['Puzzle', 'Robot', 'Blocks', 'Kite'],
                                    ['Novel', 'Cookbook', 'Atlas', 'Journal'],
                                    ['Racket', 'Yoga Mat', 'Bottle', 'Backpack'],
                                    ['Serum', 'Shampoo', 'Balm', 'Brush'],
                                    ['Coffee', 'Tea', 'Granola', 'Olive Oil']][c + 1][draw(id, 'noun', 4) + 1]
                         || ' #' || lpad(id::VARCHAR, 4, '0') AS name,
                       -- prices end in .99: 0.99 to 249.99, electronics 0.99 to 498.99
                       (draw(id, 'price', 250) * CASE WHEN c = 0 THEN 200 ELSE 100 END + 99)::INTEGER AS price_cents
                FROM (
                    SELECT r.i + 1 AS id,
                           draw(r.i + 1, 'category', 8) AS c,
                           ['Acorn', 'Brightline', 'Copperleaf', 'Driftwood', 'Evergreen', 'Foxglove',
                            'Granite', 'Harbor', 'Ironwood', 'Juniper', 'Kestrel', 'Lumen'][draw(r.i + 1, 'brand', 12) + 1] AS brand
                    FROM range({PRODUCTS}) AS r(i)
                )
            )
            ORDER BY id
            """;

    private static final String USERS_SQL = """
            CREATE TABLE main.users AS
            SELECT id,
                   first_name || ' ' || last_name AS name,
                   lower(first_name) || '.' || lower(last_name) || '.' || id || '@example.com' AS email,
                   CASE WHEN r < 30 THEN 'north' WHEN r < 55 THEN 'south' WHEN r < 80 THEN 'east' ELSE 'west' END AS region,
                   -- signed up in 2021 to 2023, before the order history starts
                   (DATE '2021-01-01' + draw(id, 'signup', 1095)) AS signup_on,
                   CASE WHEN t < 60 THEN 'free' WHEN t < 90 THEN 'plus' ELSE 'pro' END AS tier
            FROM (
                SELECT r.i + 1 AS id,
                       draw(r.i + 1, 'region', 100) AS r,
                       draw(r.i + 1, 'tier', 100) AS t,
                       ['Ava', 'Ben', 'Cara', 'Dan', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jana', 'Kai', 'Lena',
                        'Milo', 'Nora', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Uma', 'Vik', 'Wren', 'Yara',
                        'Zed', 'Anil', 'Bea', 'Chen', 'Dara', 'Emil', 'Femi', 'Gaia'][draw(r.i + 1, 'first', 32) + 1] AS first_name,
                       ['Andersen', 'Baker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hughes', 'Ito',
                        'Jansen', 'Kowalski', 'Larsen', 'Moreau', 'Novak', 'Okafor', 'Park', 'Quispe', 'Rossi',
                        'Silva', 'Tanaka', 'Usman', 'Varga', 'Weber', 'Xu', 'Yilmaz', 'Zimmer'][draw(r.i + 1, 'last', 26) + 1] AS last_name
                FROM range({USERS}) AS r(i)
            )
            ORDER BY id
            """;

    private static final String ORDERS_SQL = """
            CREATE TABLE main.orders AS
            SELECT o.id, o.user_id, o.product_id,
                   CASE WHEN o.s < 70 THEN 'complete'
                        WHEN o.s < 82 THEN 'shipped'
                        WHEN o.s < 89 THEN 'processing'
                        WHEN o.s < 97 THEN 'returned'
                        ELSE 'test' END AS status,
                   -- most orders ship to the buyer's own region, some elsewhere
                   CASE WHEN draw(o.id, 'elsewhere', 100) < 95 THEN u.region
                        ELSE ['north', 'south', 'east', 'west'][draw(o.id, 'ship_region', 4) + 1] END AS region,
                   o.quantity,
                   o.quantity * p.price_cents AS amount_cents,
                   o.quantity * p.cost_cents AS cost_cents,
                   -- 2024 and 2025 hold 731 days
                   TIMESTAMP '2024-01-01 00:00:00' + to_seconds(draw(o.id, 'created_at', 731 * 86400)) AS created_at
            FROM (
                SELECT r.i + 1 AS id,
                       draw(r.i + 1, 'user', {USERS}) + 1 AS user_id,
                       -- the smaller of two draws: low product ids sell more, as popular products do
                       least(draw(r.i + 1, 'product_a', {PRODUCTS}), draw(r.i + 1, 'product_b', {PRODUCTS})) + 1 AS product_id,
                       draw(r.i + 1, 'status', 100) AS s,
                       CASE WHEN draw(r.i + 1, 'quantity', 100) < 75 THEN 1
                            WHEN draw(r.i + 1, 'quantity', 100) < 92 THEN 2
                            ELSE 3 END AS quantity
                FROM range({ORDERS}) AS r(i)
            ) AS o
            JOIN main.users AS u ON u.id = o.user_id
            JOIN main.products AS p ON p.id = o.product_id
            ORDER BY o.id
            """;

    /**
     * (Re)creates the demo warehouse at {@code duckdbFile}, replacing any file there. The parent
     * directory is created if needed.
     */
    public static void generate(Path duckdbFile) {
        requireNonNull(duckdbFile, "duckdbFile is null");
        Path target = duckdbFile.toAbsolutePath();
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(target.getParent());
            deleteWithWal(tmp);
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp); Statement s = c.createStatement()) {
                s.execute(DRAW_MACRO);
                s.execute(sized(PRODUCTS_SQL));
                s.execute(sized(USERS_SQL));
                s.execute(sized(ORDERS_SQL));
                s.execute("CHECKPOINT");
            }
            // A write-ahead log left by an earlier process would be replayed onto the new file.
            Files.deleteIfExists(wal(target));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (SQLException e) {
            throw new IllegalStateException("could not generate the demo warehouse at " + target + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not generate the demo warehouse at " + target, e);
        } finally {
            try {
                deleteWithWal(tmp);
            } catch (IOException ignored) {
                // only a leftover temporary file; the next run deletes it
            }
        }
    }

    /**
     * A summary of the warehouse's content: row counts, sums and distinct counts, per-region and
     * per-status figures, and an order-independent hash of every column of every table. Equal
     * fingerprints mean equal data.
     */
    public static String fingerprint(Path duckdbFile) {
        requireNonNull(duckdbFile, "duckdbFile is null");
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdbFile.toAbsolutePath(), readOnly());
                Statement s = c.createStatement()) {
            append(out, s, "products", """
                    SELECT count(*), sum(price_cents), sum(hash(id, name, category, brand, price_cents, cost_cents)::HUGEINT)
                    FROM main.products""");
            append(out, s, "users", """
                    SELECT count(*), count(DISTINCT email), sum(hash(id, name, email, region, signup_on, tier)::HUGEINT)
                    FROM main.users""");
            append(out, s, "orders", """
                    SELECT count(*), sum(amount_cents), count(DISTINCT user_id),
                           sum(hash(id, user_id, product_id, status, region, quantity, amount_cents, cost_cents, created_at)::HUGEINT)
                    FROM main.orders""");
            append(out, s, "orders by region", """
                    SELECT region, count(*), sum(amount_cents) FROM main.orders GROUP BY region ORDER BY region""");
            append(out, s, "orders by status", """
                    SELECT status, count(*), sum(amount_cents) FROM main.orders GROUP BY status ORDER BY status""");
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the demo warehouse at " + duckdbFile + ": " + e.getMessage(), e);
        }
        return out.toString();
    }

    /**
     * The configuration Warden's warehouse pools open DuckDB files with: DuckDB refuses a second
     * connection to a file already open in this process with a different configuration.
     */
    private static java.util.Properties readOnly() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("duckdb.read_only", "true");
        p.setProperty("enable_external_access", "false");
        return p;
    }

    private static void append(StringBuilder out, Statement s, String label, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                out.append(label).append(':');
                for (int i = 1; i <= n; i++) {
                    out.append(' ').append(rs.getString(i));
                }
                out.append('\n');
            }
        }
    }

    /** The row counts are constants of this class, never outside input: safe to write into the SQL. */
    private static String sized(String sql) {
        return sql.replace("{PRODUCTS}", Long.toString(PRODUCTS))
                .replace("{USERS}", Long.toString(USERS))
                .replace("{ORDERS}", Long.toString(ORDERS));
    }

    private static Path wal(Path database) {
        return database.resolveSibling(database.getFileName() + ".wal");
    }

    private static void deleteWithWal(Path database) throws IOException {
        Files.deleteIfExists(database);
        Files.deleteIfExists(wal(database));
    }
}
