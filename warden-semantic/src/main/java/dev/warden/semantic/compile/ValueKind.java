package dev.warden.semantic.compile;

/** What kind of values a filtered expression holds, which decides how filter values are read and bound. */
enum ValueKind {
    STRING, NUMBER, BOOLEAN, DATE,
    /** A raw timestamp column: UTC wall-clock time. */
    TIMESTAMP_UTC,
    /** A timestamp moved to the query's timezone (a timeframe such as hour). */
    TIMESTAMP_LOCAL;

    String columnType() {
        return switch (this) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIMESTAMP_UTC, TIMESTAMP_LOCAL -> "timestamp";
        };
    }
}
