package dev.warden.server.connections;

import java.util.Optional;

/**
 * A connection's settings: everything but its secret. Stored as JSON, returned as is.
 *
 * @param path         DuckDB only: the database file, relative to the deployment's warehouse directory
 * @param tlsCaBundle  PEM certificates trusted for this warehouse (public material, not a secret)
 * @param account      Snowflake account identifier
 * @param project      BigQuery project
 */
public record ConnectionSettings(
        Optional<String> host,
        Optional<Integer> port,
        Optional<String> database,
        Optional<String> user,
        Optional<String> path,
        Optional<String> account,
        Optional<String> warehouse,
        Optional<String> project,
        Optional<String> schema,
        TlsMode tlsMode,
        Optional<String> tlsCaBundle,
        int statementTimeoutSeconds,
        int maxPoolSize) {

    public ConnectionSettings {
        host = host == null ? Optional.empty() : host;
        port = port == null ? Optional.empty() : port;
        database = database == null ? Optional.empty() : database;
        user = user == null ? Optional.empty() : user;
        path = path == null ? Optional.empty() : path;
        account = account == null ? Optional.empty() : account;
        warehouse = warehouse == null ? Optional.empty() : warehouse;
        project = project == null ? Optional.empty() : project;
        schema = schema == null ? Optional.empty() : schema;
        tlsMode = tlsMode == null ? TlsMode.VERIFY_FULL : tlsMode;
        tlsCaBundle = tlsCaBundle == null ? Optional.empty() : tlsCaBundle;
    }
}
