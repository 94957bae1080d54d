package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A piece of modeler-written SQL ({@code sql}, {@code on}, {@code always_where}), already split
 * into trusted text and references. The text is the modeler's and is emitted as written; every
 * reference is resolved by the compiler, and a user attribute always becomes a bind value.
 */
public record SqlTemplate(String source, List<Part> parts) {

    public SqlTemplate {
        requireNonNull(source, "source is null");
        parts = List.copyOf(parts);
    }

    /** One element of a template. */
    public sealed interface Part permits Text, Table, Column, FieldReference, Attribute {}

    /** Modeler-written SQL text, emitted verbatim. */
    public record Text(String text) implements Part {
        public Text {
            requireNonNull(text, "text is null");
        }
    }

    /** {@code ${TABLE}}: the owning view's table alias. */
    public record Table() implements Part {}

    /** A column of the owning view's table, by name: the default SQL of a dimension. Quoted by the dialect. */
    public record Column(String name) implements Part {
        public Column {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code ${field}} or {@code ${view.field}}, with the view already resolved. */
    public record FieldReference(String view, String field) implements Part {
        public FieldReference {
            requireNonNull(view, "view is null");
            requireNonNull(field, "field is null");
        }

        public String qualifiedName() {
            return view + "." + field;
        }
    }

    /**
     * {@code {{ user_attributes.NAME }}}. {@code listContext} is true when the reference stands
     * alone inside {@code IN ( ... )}, the only place where several values fit.
     */
    public record Attribute(String name, boolean listContext) implements Part {
        public Attribute {
            requireNonNull(name, "name is null");
        }
    }
}
