package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

/**
 * Where a model uses a user attribute. {@code place} names the model element (for example
 * {@code topic orders}, {@code field orders.margin}, {@code access grant pii}); {@code how} is
 * one of {@code access_filter}, {@code access_grant}, {@code sql_reference}.
 */
public record AttributeUsage(String attribute, String place, String how) {
    public AttributeUsage {
        requireNonNull(attribute, "attribute is null");
        requireNonNull(place, "place is null");
        requireNonNull(how, "how is null");
    }
}
