package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A named grant: passes when any value of {@code userAttribute} is among {@code allowedValues}. */
public record AccessGrant(String name, String userAttribute, List<String> allowedValues) {
    public AccessGrant {
        requireNonNull(name, "name is null");
        requireNonNull(userAttribute, "userAttribute is null");
        allowedValues = List.copyOf(allowedValues);
    }
}
