package dev.warden.semantic.model;

import java.util.List;
import java.util.Optional;

/** A dimension or a measure of a view. */
public sealed interface Field permits Dimension, Measure {
    String view();

    String name();

    String label();

    Optional<String> description();

    /** Hidden fields stay queryable by name; they are only left out of field pickers. */
    boolean hidden();

    List<String> requiredAccessGrants();

    default String qualifiedName() {
        return view() + "." + name();
    }
}
