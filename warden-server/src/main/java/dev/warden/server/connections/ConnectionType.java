package dev.warden.server.connections;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.warden.semantic.sql.Dialect;
import java.util.Locale;

/** The warehouses Warden connects to, each with the SQL dialect its compiler output uses. */
public enum ConnectionType {
    DUCKDB, POSTGRES, MYSQL, TRINO, SNOWFLAKE, BIGQUERY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static ConnectionType fromWire(String value) {
        for (ConnectionType t : values()) {
            if (t.wireName().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("type must be one of duckdb, postgres, mysql, trino, snowflake, bigquery");
    }

    public Dialect dialect() {
        return switch (this) {
            case DUCKDB -> Dialect.DUCKDB;
            case POSTGRES -> Dialect.POSTGRESQL;
            case MYSQL -> Dialect.MYSQL;
            case TRINO -> Dialect.TRINO;
            case SNOWFLAKE -> Dialect.SNOWFLAKE;
            case BIGQUERY -> Dialect.BIGQUERY;
        };
    }

    public boolean networked() {
        return this != DUCKDB;
    }
}
