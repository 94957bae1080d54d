package dev.warden.semantic.sql;

import java.util.Locale;

import dev.warden.semantic.model.Timeframe;

/**
 * The SQL dialects Warden compiles to. Each is a small spec (its identifier quote) plus narrow
 * hooks that expand dialect-dependent nodes into plain {@link Sql}; every hook's quirks are
 * explained where they are handled. Hooks never see a value as text: values stay {@link Sql.Bind}s.
 *
 * <p>Time model: a {@code timestamp} dimension holds UTC wall-clock time (a timestamp without
 * time zone, in UTC). Query timezones move it to local wall-clock time before truncation.
 */
public enum Dialect {
    DUCKDB('"'),
    POSTGRESQL('"'),
    /** MySQL and MariaDB. */
    MYSQL('`'),
    TRINO('"'),
    SNOWFLAKE('"'),
    BIGQUERY('`');

    private final char quote;

    Dialect(char quote) {
        this.quote = quote;
    }

    /** {@code name} quoted for this dialect (see {@link #appendQuoted}). */
    public String quoteIdentifier(String name) {
        StringBuilder out = new StringBuilder(name.length() + 2);
        appendQuoted(out, name);
        return out.toString();
    }

    /**
     * The only place identifiers are quoted. The quote character is escaped by doubling it,
     * except on BigQuery, whose quoted identifiers escape with a backslash. Snowflake resolves an
     * unquoted name in upper case, so a plain lower-case model name is upper-cased before quoting
     * to keep meaning what the modeler wrote; any other name keeps its case.
     */
    void appendQuoted(StringBuilder out, String name) {
        boolean upper = this == SNOWFLAKE && isPlainLowerCase(name);
        out.append(quote);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == quote || (this == BIGQUERY && c == '\\')) {
                out.append(this == BIGQUERY ? '\\' : quote);
            }
            out.append(upper ? Character.toUpperCase(c) : c);
        }
        out.append(quote);
    }

    private static boolean isPlainLowerCase(String n) {
        if (n.isEmpty() || !(Character.isLowerCase(n.charAt(0)) || n.charAt(0) == '_')) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$')) {
                return false;
            }
        }
        return true;
    }

    /** The expression truncated to its period; date periods yield a DATE, hour a timestamp. */
    Sql truncate(Timeframe timeframe, Sql x) {
        if (timeframe == Timeframe.RAW) {
            return x;
        }
        return switch (this) {
            case DUCKDB, POSTGRESQL, SNOWFLAKE, TRINO -> switch (timeframe) {
                case RAW -> x;
                case HOUR -> Sql.concat(Sql.text("DATE_TRUNC('hour', "), x, Sql.text(")"));
                case DATE -> Sql.concat(Sql.text("CAST("), x, Sql.text(" AS DATE)"));
                // PostgreSQL, DuckDB and Trino weeks start on Monday (ISO); so does Snowflake with its default WEEK_START.
                case WEEK, MONTH, QUARTER, YEAR -> Sql.concat(Sql.text("CAST(DATE_TRUNC('" + timeframe.wireName() + "', "), x,
                        Sql.text(") AS DATE)"));
            };
            // MySQL has no DATE_TRUNC: build the period's first day from its parts.
            case MYSQL -> switch (timeframe) {
                case RAW -> x;
                case HOUR -> Sql.concat(Sql.text("CAST(DATE_FORMAT("), x, Sql.text(", '%Y-%m-%d %H:00:00') AS DATETIME)"));
                case DATE -> Sql.concat(Sql.text("DATE("), x, Sql.text(")"));
                case WEEK -> Sql.concat(Sql.text("DATE_SUB(DATE("), x, Sql.text("), INTERVAL WEEKDAY("), x, Sql.text(") DAY)"));
                case MONTH -> Sql.concat(Sql.text("CAST(DATE_FORMAT("), x, Sql.text(", '%Y-%m-01') AS DATE)"));
                case QUARTER -> Sql.concat(Sql.text("DATE_ADD(MAKEDATE(YEAR("), x, Sql.text("), 1), INTERVAL (QUARTER("), x,
                        Sql.text(") - 1) QUARTER)"));
                case YEAR -> Sql.concat(Sql.text("MAKEDATE(YEAR("), x, Sql.text("), 1)"));
            };
            // DATE() of a TIMESTAMP is taken in UTC, which is the time model; WEEK(MONDAY) matches the ISO week of the others.
            case BIGQUERY -> switch (timeframe) {
                case RAW -> x;
                case HOUR -> Sql.concat(Sql.text("DATETIME_TRUNC(DATETIME("), x, Sql.text("), HOUR)"));
                case DATE -> Sql.concat(Sql.text("DATE("), x, Sql.text(")"));
                case WEEK -> Sql.concat(Sql.text("DATE_TRUNC(DATE("), x, Sql.text("), WEEK(MONDAY))"));
                case MONTH, QUARTER, YEAR -> Sql.concat(Sql.text("DATE_TRUNC(DATE("), x,
                        Sql.text("), " + timeframe.name() + ")"));
            };
        };
    }

    /**
     * The zone as the engine's conversion is given it. MySQL knows named zones only from its
     * time zone tables, which a server may lack (CONVERT_TZ then yields NULL): a zone that never
     * changes its offset (UTC, Etc/GMT+5) goes as an offset, which needs no tables. Named zones
     * with DST still need them; the server checks before it runs such a query.
     */
    public String zoneValue(String zoneId) {
        if (this == MYSQL) {
            var rules = java.time.ZoneId.of(zoneId).getRules();
            if (rules.isFixedOffset()) {
                int seconds = rules.getOffset(java.time.Instant.EPOCH).getTotalSeconds();
                int minutes = Math.abs(seconds) / 60;
                return String.format(java.util.Locale.ROOT, "%s%02d:%02d", seconds < 0 ? "-" : "+", minutes / 60,
                        minutes % 60);
            }
        }
        return zoneId;
    }

    /** A UTC wall-clock timestamp as wall-clock time in the zone given by {@code zone} (a bind). */
    Sql fromUtc(Sql x, Sql zone) {
        return switch (this) {
            // The first AT TIME ZONE reads the naive value as UTC, the second shows it in the zone.
            case POSTGRESQL -> Sql.concat(Sql.text("(("), x, Sql.text(") AT TIME ZONE 'UTC' AT TIME ZONE CAST("), zone,
                    Sql.text(" AS TEXT))"));
            case DUCKDB -> Sql.concat(Sql.text("timezone(CAST("), zone, Sql.text(" AS VARCHAR), timezone('UTC', "), x,
                    Sql.text("))"));
            // Named zones need MySQL's time zone tables (mysql_tzinfo_to_sql); see zoneValue.
            case MYSQL -> Sql.concat(Sql.text("CONVERT_TZ("), x, Sql.text(", '+00:00', "), zone, Sql.text(")"));
            case TRINO -> Sql.concat(Sql.text("CAST(at_timezone(with_timezone("), x, Sql.text(", 'UTC'), "), zone,
                    Sql.text(") AS TIMESTAMP)"));
            case SNOWFLAKE -> Sql.concat(Sql.text("CONVERT_TIMEZONE('UTC', "), zone, Sql.text(", "), x, Sql.text(")"));
            case BIGQUERY -> Sql.concat(Sql.text("DATETIME(TIMESTAMP("), x, Sql.text("), "), zone, Sql.text(")"));
        };
    }

    /**
     * Text compared exactly. MySQL's usual collations fold case and ignore trailing spaces, so
     * there both sides are compared as binary strings; the other engines compare exactly already.
     */
    Sql exactText(Sql x) {
        return this == MYSQL ? Sql.concat(Sql.text("CAST("), x, Sql.text(" AS BINARY)")) : x;
    }

    /**
     * MySQL groups and de-duplicates text by its collation, which usually folds case and ignores
     * trailing spaces ("Plain", "plain" and "plain " would become one group). Grouping also by the
     * binary value keeps them apart; the other engines group exactly already and get nothing.
     */
    Sql exactGroupKey(Sql x, java.util.Optional<String> alias) {
        if (this != MYSQL) {
            return Sql.text("");
        }
        Sql key = Sql.concat(Sql.text(", CAST("), x, Sql.text(" AS BINARY)"));
        return alias.isEmpty() ? key : Sql.concat(key, Sql.text(" AS "), Sql.identifier(alias.get()));
    }

    /** A LIKE whose value is matched literally: its wildcards and escape character are escaped. */
    Sql like(Sql x, String literal, Sql.LikeMatch match) {
        // BigQuery has no ESCAPE clause; its LIKE escapes with backslash. The others take ESCAPE '!',
        // chosen over backslash because MySQL string literals treat backslash specially.
        char escape = this == BIGQUERY ? '\\' : '!';
        StringBuilder pattern = new StringBuilder(literal.length() + 4);
        if (match != Sql.LikeMatch.STARTS_WITH) {
            pattern.append('%');
        }
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '%' || c == '_' || c == escape) {
                pattern.append(escape);
            }
            pattern.append(c);
        }
        if (match != Sql.LikeMatch.ENDS_WITH) {
            pattern.append('%');
        }
        Sql subject = exactText(x);
        Sql value = exactText(Sql.bind(pattern.toString()));
        return this == BIGQUERY ? Sql.concat(subject, Sql.text(" LIKE "), value)
                : Sql.concat(subject, Sql.text(" LIKE "), value, Sql.text(" ESCAPE '!'"));
    }
}
