package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A row filter: {@code view.field IN (the person's values of userAttribute)}, lifted for a person
 * holding any of {@code valuesForUnfiltered}.
 */
public record AccessFilter(String view, String field, String userAttribute, List<String> valuesForUnfiltered) {
    public AccessFilter {
        requireNonNull(view, "view is null");
        requireNonNull(field, "field is null");
        requireNonNull(userAttribute, "userAttribute is null");
        valuesForUnfiltered = List.copyOf(valuesForUnfiltered);
    }

    public String qualifiedField() {
        return view + "." + field;
    }
}
