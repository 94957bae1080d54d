package dev.warden.semantic.execution;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.warden.semantic.compile.Compilation;
import dev.warden.semantic.sql.Dialect;

/**
 * A real database loaded with {@link ShopData}, in a database of its own with a random name that
 * is dropped when the test JVM exits. DuckDB is embedded and always there; PostgreSQL and MariaDB
 * are used when they answer on loopback, and are required when {@code CI=true}.
 */
public final class Engine {
    private final String name;
    private final Dialect dialect;
    private final Connection connection;
    private final Runnable drop;

    private Engine(String name, Dialect dialect, Connection connection, Runnable drop) {
        this.name = name;
        this.dialect = dialect;
        this.connection = connection;
        this.drop = drop;
    }

    public String name() {
        return name;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String toString() {
        return name;
    }

    private static List<Engine> all;

    /** The engines of this run, created once. */
    public static synchronized List<Engine> all() {
        if (all == null) {
            List<Engine> engines = new ArrayList<>();
            engines.add(duckdb());
            boolean required = "true".equalsIgnoreCase(System.getenv("CI"));
            if (answers(5432) || required) {
                engines.add(postgres());
            }
            if (answers(3306) || required) {
                engines.add(mariadb());
            }
            all = List.copyOf(engines);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> all.forEach(Engine::close)));
        }
        return all;
    }

    private void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // dropping below is what matters
        }
        drop.run();
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String randomName() {
        return "warden_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static Engine duckdb() {
        try {
            Connection c = DriverManager.getConnection("jdbc:duckdb:");
            load(c, "VARCHAR", "TIMESTAMP");
            return new Engine("duckdb", Dialect.DUCKDB, c, () -> {});
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Engine postgres() {
        String db = randomName();
        String admin = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        try {
            try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + db + " ENCODING 'UTF8' TEMPLATE template0");
            }
            Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres");
            load(c, "VARCHAR(200)", "TIMESTAMP");
            return new Engine("postgresql", Dialect.POSTGRESQL, c, () -> {
                try (Connection a = DriverManager.getConnection(admin); Statement s = a.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                } catch (SQLException ignored) {
                    // best effort at exit
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is required (CI=true) but failed: " + e.getMessage(), e);
        }
    }

    private static Engine mariadb() {
        String db = randomName();
        String admin = "jdbc:mariadb://127.0.0.1:3306/?user=root&password=";
        try {
            try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
                // A case-insensitive, pad-space collation, the usual default: exact comparisons must hold anyway.
                s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
            }
            Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db + "?user=root&password=");
            load(c, "VARCHAR(200)", "DATETIME");
            return new Engine("mariadb", Dialect.MYSQL, c, () -> {
                try (Connection a = DriverManager.getConnection(admin); Statement s = a.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + db);
                } catch (SQLException ignored) {
                    // best effort at exit
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB on 127.0.0.1:3306 is required (CI=true) but failed: " + e.getMessage(), e);
        }
    }

    private static void load(Connection c, String text, String timestamp) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name " + text + ", email " + text + ", region " + text
                    + ", signup_on DATE)");
            s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, status " + text + ", region " + text
                    + ", note " + text + ", is_gift BOOLEAN, created_at " + timestamp + ", amount_cents INTEGER, internal_code "
                    + text + ")");
            s.execute("CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER, sku " + text + ", quantity INTEGER)");
        }
        ShopData data = ShopData.get();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO users VALUES (?, ?, ?, ?, ?)")) {
            for (ShopData.User u : data.users) {
                p.setInt(1, u.id());
                p.setString(2, u.name());
                p.setString(3, u.email());
                p.setString(4, u.region());
                p.setObject(5, u.signupOn());
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (ShopData.Order o : data.orders) {
                p.setInt(1, o.id());
                p.setInt(2, o.userId());
                p.setString(3, o.status());
                p.setString(4, o.region());
                p.setString(5, o.note());
                p.setBoolean(6, o.isGift());
                p.setObject(7, o.createdAt());
                p.setInt(8, o.amountCents());
                p.setString(9, o.internalCode());
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO order_items VALUES (?, ?, ?, ?)")) {
            for (ShopData.Item i : data.items) {
                p.setInt(1, i.id());
                p.setInt(2, i.orderId());
                p.setString(3, i.sku());
                p.setInt(4, i.quantity());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Runs compiled SQL with its binds; each row as canonical strings (numbers to 6 decimals). */
    public synchronized List<List<String>> run(Compilation.Compiled compiled) {
        try (PreparedStatement p = connection.prepareStatement(compiled.sql())) {
            for (int i = 0; i < compiled.binds().size(); i++) {
                p.setObject(i + 1, compiled.binds().get(i));
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        String type = compiled.columns().get(i - 1).type();
                        row.add(canonical(rs.getObject(i), type));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError(name + " failed on " + compiled.sql() + " with " + compiled.binds() + ": " + e.getMessage(), e);
        }
    }

    static String canonical(Object v, String type) {
        if (v == null) {
            return "null";
        }
        if (type.equals("boolean")) {
            return v instanceof Number n ? String.valueOf(n.intValue() != 0) : v.toString().toLowerCase(Locale.ROOT);
        }
        if (v instanceof java.sql.Timestamp t) {
            v = t.toLocalDateTime();
        } else if (v instanceof java.sql.Date d) {
            v = d.toLocalDate();
        } else if (v instanceof OffsetDateTime o) {
            v = o.toLocalDateTime();
        }
        if (type.equals("date") && v instanceof LocalDateTime ldt) {
            return ldt.toLocalDate().toString();
        }
        if (v instanceof LocalDate || v instanceof LocalDateTime) {
            return v.toString();
        }
        if (v instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString()).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
            return d.signum() == 0 ? "0" : d.toPlainString();
        }
        return v.toString();
    }
}
