package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A topic: what people query. {@code accessFilters} and {@code requiredAccessGrants} are the
 * effective ones: the topic's own, or the model's defaults when the topic sets none.
 * {@code fields} is the optional allow-list, expanded ({@code view.*} becomes every field).
 */
public record Topic(
        String name,
        String baseView,
        Map<String, Join> joins,
        Optional<List<String>> fields,
        List<AccessFilter> accessFilters,
        Optional<SqlTemplate> alwaysWhere,
        List<String> requiredAccessGrants,
        boolean curated,
        String label,
        Optional<String> description) {

    public Topic {
        requireNonNull(name, "name is null");
        requireNonNull(baseView, "baseView is null");
        joins = Collections.unmodifiableMap(new LinkedHashMap<>(joins));
        fields = fields.map(List::copyOf);
        accessFilters = List.copyOf(accessFilters);
        requireNonNull(alwaysWhere, "alwaysWhere is null");
        requiredAccessGrants = List.copyOf(requiredAccessGrants);
        requireNonNull(label, "label is null");
        requireNonNull(description, "description is null");
    }

    /** Whether the view is the base view or one of the joined views. */
    public boolean reaches(String view) {
        return baseView.equals(view) || joins.containsKey(view);
    }

    /** Whether the allow-list (if any) lets people query the field. */
    public boolean exposes(String qualifiedField) {
        return fields.map(list -> list.contains(qualifiedField)).orElse(true);
    }
}
