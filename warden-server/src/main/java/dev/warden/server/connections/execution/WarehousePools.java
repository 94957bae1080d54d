package dev.warden.server.connections.execution;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.warden.crypto.CredentialAccess;
import dev.warden.crypto.SealedDataUnreadable;
import dev.warden.server.connections.Connection;
import dev.warden.server.connections.ConnectionSettings;
import dev.warden.server.connections.TlsMode;
import dev.warden.server.keys.OrgKeys;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One HikariCP pool per connection, built from the connection's current version and replaced
 * when it changes. This is the only place a warehouse credential is opened: it goes straight
 * into the pool's driver properties and nowhere else.
 */
@Component
final class WarehousePools {
    private record Pool(int version, HikariDataSource dataSource) {}

    private final OrgKeys keys;
    private final HostPolicy hosts;
    private final Path warehouseDir;
    private final Path tlsDir;
    private final Map<UUID, Pool> pools = new ConcurrentHashMap<>();

    WarehousePools(OrgKeys keys, HostPolicy hosts, @Value("${warden.data-dir}") String dataDir) {
        this.keys = keys;
        this.hosts = hosts;
        this.warehouseDir = Path.of(dataDir).toAbsolutePath().normalize().resolve("warehouses");
        this.tlsDir = Path.of(dataDir).toAbsolutePath().normalize().resolve("tls");
    }

    HikariDataSource pool(Connection connection) {
        if (connection.type().networked()) {
            // Every checkout path starts here, so a host that now resolves elsewhere is refused.
            hosts.check(connection.settings().host().orElseThrow(), connection.settings().port()
                    .orElse(connection.type() == dev.warden.server.connections.ConnectionType.MYSQL ? 3306 : 5432));
        }
        Pool current = pools.compute(connection.id(), (id, existing) -> {
            if (existing != null && existing.version() == connection.version()) {
                return existing;
            }
            if (existing != null) {
                existing.dataSource().close();
            }
            return new Pool(connection.version(), build(connection));
        });
        return current.dataSource();
    }

    void evict(UUID connectionId) {
        Pool removed = pools.remove(connectionId);
        if (removed != null) {
            removed.dataSource().close();
        }
    }

    @PreDestroy
    void closeAll() {
        pools.values().forEach(p -> p.dataSource().close());
        pools.clear();
    }

    /**
     * One connection straight from the driver, outside any pool: for {@code POST
     * /connections/{id}/test}, which must say at once what fails. Borrowing from a pool whose
     * connections cannot be made waits the pool's whole connection timeout (10 s) before failing.
     */
    java.sql.Connection open(Connection connection) throws java.sql.SQLException {
        if (connection.type().networked()) {
            hosts.check(connection.settings().host().orElseThrow(), connection.settings().port()
                    .orElse(connection.type() == dev.warden.server.connections.ConnectionType.MYSQL ? 3306 : 5432));
        }
        HikariConfig config = config(connection);
        java.sql.Connection jdbc = java.sql.DriverManager.getConnection(config.getJdbcUrl(),
                config.getDataSourceProperties());
        jdbc.setReadOnly(true);
        return jdbc;
    }

    private HikariDataSource build(Connection c) {
        return new HikariDataSource(config(c));
    }

    private HikariConfig config(Connection c) {
        ConnectionSettings s = c.settings();
        HikariConfig config = new HikariConfig();
        config.setPoolName("warehouse-" + c.id());
        config.setMaximumPoolSize(s.maxPoolSize());
        config.setMinimumIdle(0);
        // A warehouse that is down or refuses the credentials fails a query within seconds, not after a long wait.
        config.setConnectionTimeout(3_000);
        config.setInitializationFailTimeout(-1);
        config.setReadOnly(true);
        Properties props = new Properties();
        switch (c.type()) {
            case DUCKDB -> {
                // Each org has its own warehouse directory: a path names a file of this org only.
                Path orgDir = warehouseDir.resolve(c.orgId().toString());
                Path file = orgDir.resolve(s.path().orElseThrow()).normalize();
                if (!file.startsWith(orgDir)) {
                    throw new WarehouseFailure(WarehouseFailure.Kind.HOST_NOT_ALLOWED);
                }
                config.setJdbcUrl("jdbc:duckdb:" + file);
                props.setProperty("duckdb.read_only", "true");
                // Model SQL must not read or write files of the Warden host through DuckDB.
                props.setProperty("enable_external_access", "false");
            }
            case POSTGRES -> {
                config.setJdbcUrl("jdbc:postgresql://" + hostPort(s, 5432) + "/" + s.database().orElseThrow());
                props.setProperty("user", s.user().orElseThrow());
                props.setProperty("password", secret(c));
                props.setProperty("ApplicationName", "warden");
                props.setProperty("connectTimeout", "10");
                props.setProperty("loginTimeout", "10");
                props.setProperty("readOnlyMode", "always");
                props.setProperty("sslmode", s.tlsMode().wire());
                if (s.tlsMode() == TlsMode.VERIFY_CA || s.tlsMode() == TlsMode.VERIFY_FULL) {
                    if (s.tlsCaBundle().isPresent()) {
                        props.setProperty("sslrootcert", caFile(c).toString());
                    } else {
                        props.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
                    }
                } else if (s.tlsMode() == TlsMode.REQUIRE) {
                    props.setProperty("sslfactory", "org.postgresql.ssl.NonValidatingFactory");
                }
            }
            case MYSQL -> {
                config.setJdbcUrl("jdbc:mariadb://" + hostPort(s, 3306) + "/" + s.database().orElse(""));
                props.setProperty("user", s.user().orElseThrow());
                props.setProperty("password", secret(c));
                props.setProperty("connectTimeout", "10000");
                props.setProperty("sslMode", switch (s.tlsMode()) {
                    case DISABLE -> "disable";
                    case REQUIRE -> "trust";
                    case VERIFY_CA -> "verify-ca";
                    case VERIFY_FULL -> "verify-full";
                });
                s.tlsCaBundle().ifPresent(pem -> props.setProperty("serverSslCert", pem));
            }
            case TRINO, SNOWFLAKE, BIGQUERY -> throw new WarehouseFailure(WarehouseFailure.Kind.DRIVER_MISSING);
        }
        config.setDataSourceProperties(props);
        return config;
    }

    private String secret(Connection c) {
        if (c.sealedSecret().isEmpty()) {
            throw new WarehouseFailure(WarehouseFailure.Kind.NO_SECRET);
        }
        try {
            byte[] plain = keys.openCredential(c.orgId(), c.sealedSecret().get(), c.secretRecord(), CredentialAccess.get());
            return new String(plain, StandardCharsets.UTF_8);
        } catch (SealedDataUnreadable e) {
            throw new WarehouseFailure(WarehouseFailure.Kind.NO_SECRET);
        }
    }

    private static String hostPort(ConnectionSettings s, int defaultPort) {
        String host = s.host().orElseThrow();
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + s.port().orElse(defaultPort);
    }

    /** pgjdbc reads root certificates from a file only: one per connection version, owner-readable. */
    private Path caFile(Connection c) {
        try {
            Files.createDirectories(tlsDir);
            Path file = tlsDir.resolve(c.id() + "-v" + c.version() + ".pem");
            if (!Files.exists(file)) {
                Path tmp = Files.createTempFile(tlsDir, "ca", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, c.settings().tlsCaBundle().orElseThrow(), StandardCharsets.US_ASCII);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return file;
        } catch (IOException e) {
            throw new WarehouseFailure(WarehouseFailure.Kind.TLS);
        }
    }
}
