package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

/**
 * A topic's join of {@code view}. {@code parent} is the view it hangs from (the last-declared
 * other view its {@code on} references); {@code relationship} is seen from that parent.
 */
public record Join(String view, SqlTemplate on, Relationship relationship, JoinType type, String parent) {
    public Join {
        requireNonNull(view, "view is null");
        requireNonNull(on, "on is null");
        requireNonNull(relationship, "relationship is null");
        requireNonNull(type, "type is null");
        requireNonNull(parent, "parent is null");
    }
}
