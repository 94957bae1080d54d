package dev.warden.semantic.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

import dev.warden.semantic.model.Timeframe;

/**
 * SQL under construction, as a tree. Values never appear as text: a value is a {@link Bind},
 * written as {@code ?} by {@link SqlWriter}. {@link Text} holds only trusted SQL (the compiler's
 * own keywords, or the modeler's SQL from a validated model). Dialect differences are nodes the
 * {@link Dialect} expands, so the writer is the one place that produces SQL text.
 */
public sealed interface Sql permits Sql.Text, Sql.Identifier, Sql.TableName, Sql.Bind, Sql.Concat, Sql.Truncate,
        Sql.FromUtc, Sql.ExactText, Sql.ExactGroupKey, Sql.Like {

    /** Trusted SQL text, written as is. */
    record Text(String text) implements Sql {
        public Text {
            requireNonNull(text, "text is null");
        }
    }

    /** An identifier (alias or column), quoted by the dialect. */
    record Identifier(String name) implements Sql {
        public Identifier {
            requireNonNull(name, "name is null");
        }
    }

    /** A table name as the model writes it ({@code schema.table}); each part quoted by the dialect. */
    record TableName(String dottedName) implements Sql {
        public TableName {
            requireNonNull(dottedName, "dottedName is null");
        }
    }

    /** A value: written as {@code ?} and added to the bind list, in order. */
    record Bind(Object value) implements Sql {
        public Bind {
            requireNonNull(value, "value is null: null is never bound, use IS NULL");
        }
    }

    /** Parts written one after the other. */
    record Concat(List<Sql> parts) implements Sql {
        public Concat {
            parts = List.copyOf(parts);
        }
    }

    /** A time expression truncated to the start of its period. */
    record Truncate(Timeframe timeframe, Sql expression) implements Sql {
        public Truncate {
            requireNonNull(timeframe, "timeframe is null");
            requireNonNull(expression, "expression is null");
        }
    }

    /** A UTC wall-clock timestamp shown as wall-clock time in {@code zoneId} (the zone is a bind value). */
    record FromUtc(Sql expression, String zoneId) implements Sql {
        public FromUtc {
            requireNonNull(expression, "expression is null");
            requireNonNull(zoneId, "zoneId is null");
        }
    }

    /** A text expression compared byte for byte (no case folding, no trailing-space padding). */
    record ExactText(Sql expression) implements Sql {
        public ExactText {
            requireNonNull(expression, "expression is null");
        }
    }

    /**
     * An extra grouping key that makes grouping on a text expression exact, written after other keys
     * (with a leading comma) where the dialect needs it, and as nothing elsewhere. With an alias it
     * is a select item, so that SELECT DISTINCT is exact too.
     */
    record ExactGroupKey(Sql expression, java.util.Optional<String> alias) implements Sql {
        public ExactGroupKey {
            requireNonNull(expression, "expression is null");
            requireNonNull(alias, "alias is null");
        }
    }

    /** {@code expression LIKE pattern}: {@code literal} is matched literally, its wildcards escaped. */
    record Like(Sql expression, String literal, LikeMatch match) implements Sql {
        public Like {
            requireNonNull(expression, "expression is null");
            requireNonNull(literal, "literal is null");
            requireNonNull(match, "match is null");
        }
    }

    /** Where a {@link Like} literal must appear in the value. */
    enum LikeMatch { CONTAINS, STARTS_WITH, ENDS_WITH }

    static Sql text(String text) {
        return new Text(text);
    }

    static Sql identifier(String name) {
        return new Identifier(name);
    }

    static Sql bind(Object value) {
        return new Bind(value);
    }

    static Sql concat(Sql... parts) {
        return new Concat(List.of(parts));
    }

    static Sql concat(List<Sql> parts) {
        return new Concat(parts);
    }
}
