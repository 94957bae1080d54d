package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * Turns model YAML (MODEL.md) into a validated {@link SemanticModel}, or into every problem found.
 * Pure: no I/O, no clock, no global state; safe to call from any thread.
 */
public final class ModelLoader {
    private ModelLoader() {}

    /** Loads and validates without checking attribute names against the org's attributes. */
    public static ModelLoad load(String yaml) {
        requireNonNull(yaml, "yaml is null");
        return new ModelReader(Optional.empty()).read(yaml);
    }

    /**
     * Loads and validates; every user attribute the model names (grants, access filters,
     * {@code {{ user_attributes.X }}}) must be among {@code knownAttributes}.
     */
    public static ModelLoad load(String yaml, Set<String> knownAttributes) {
        requireNonNull(yaml, "yaml is null");
        return new ModelReader(Optional.of(Set.copyOf(knownAttributes))).read(yaml);
    }
}
