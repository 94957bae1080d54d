package dev.warden.semantic.query;

/** Sort direction; {@code asc} unless the query says {@code desc}. */
public enum SortDirection {
    ASC, DESC
}
