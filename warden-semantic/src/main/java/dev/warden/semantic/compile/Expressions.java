package dev.warden.semantic.compile;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.warden.semantic.model.Dimension;
import dev.warden.semantic.model.DimensionType;
import dev.warden.semantic.model.Field;
import dev.warden.semantic.model.Measure;
import dev.warden.semantic.model.MeasureType;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.model.SqlTemplate;
import dev.warden.semantic.model.Timeframe;
import dev.warden.semantic.model.Topic;
import dev.warden.semantic.model.View;
import dev.warden.semantic.policy.Policy;
import dev.warden.semantic.sql.Sql;

/**
 * Turns model fields into SQL trees for one compilation, and records which views they touch so
 * that only the joins a query needs are made. User attributes become bind values here.
 */
final class Expressions {
    private final SemanticModel model;
    private final Topic topic;
    private final Policy policy;
    private final ZoneId zone;
    private final Set<String> usedViews = new LinkedHashSet<>();
    private final Map<Dimension, Sql> dimensionCache = new IdentityHashMap<>();
    private final Map<Dimension, Set<String>> viewsCache = new IdentityHashMap<>();

    Expressions(SemanticModel model, Topic topic, Policy policy, ZoneId zone) {
        this.model = model;
        this.topic = topic;
        this.policy = policy;
        this.zone = zone;
    }

    Set<String> usedViews() {
        return usedViews;
    }

    void use(String view) {
        usedViews.add(view);
    }

    boolean utc() {
        return zone.normalized().equals(ZoneOffset.UTC);
    }

    /** The dimension's row-level expression; a timestamp stays in UTC. */
    Sql dimension(Dimension d) {
        Sql cached = dimensionCache.get(d);
        if (cached != null) {
            usedViews.addAll(viewsCache.computeIfAbsent(d, this::viewsOf));
            return cached;
        }
        Sql sql = template(d.sql(), Optional.of(d.view()), m -> {
            throw new IllegalStateException("a dimension cannot reference a measure: " + m.qualifiedName());
        });
        dimensionCache.put(d, sql);
        return sql;
    }

    private Set<String> viewsOf(Dimension d) {
        Set<String> views = new LinkedHashSet<>();
        views.add(d.view());
        for (SqlTemplate.Part p : d.sql().parts()) {
            if (p instanceof SqlTemplate.FieldReference r) {
                model.field(r.view(), r.field()).ifPresent(f -> {
                    if (f instanceof Dimension inner) {
                        views.addAll(viewsOf(inner));
                    }
                });
            }
        }
        return views;
    }

    /**
     * The dimension as shown to the person: a timestamp moved to the query's timezone, then
     * truncated to the timeframe (none or raw: not truncated).
     */
    Sql shown(Dimension d, Optional<Timeframe> timeframe) {
        Sql x = dimension(d);
        if (d.type() == DimensionType.TIMESTAMP && !utc()) {
            x = new Sql.FromUtc(x, zone.getId());
        }
        return timeframe.isPresent() && timeframe.get() != Timeframe.RAW ? new Sql.Truncate(timeframe.get(), x) : x;
    }

    /**
     * The value a non-number measure aggregates, per row: its SQL (or its view's primary key for a
     * plain count), inside {@code CASE WHEN filters THEN ... END} for a filtered measure.
     * Empty for a count without SQL on a view without primary key, which counts rows.
     */
    Optional<Sql> measureInput(Measure m) {
        Optional<Sql> value;
        if (m.sql().isPresent()) {
            value = Optional.of(template(m.sql().get(), Optional.of(m.view()), inner -> {
                throw new IllegalStateException("an aggregate cannot reference a measure: " + inner.qualifiedName());
            }));
        } else {
            value = primaryKey(m.view());
        }
        use(m.view());
        if (m.filters().isEmpty()) {
            return value;
        }
        List<Sql> parts = new ArrayList<>();
        parts.add(Sql.text("CASE WHEN "));
        boolean first = true;
        for (Measure.MeasureFilter f : m.filters()) {
            Dimension d = model.views().get(m.view()).dimensions().get(f.dimension());
            if (!first) {
                parts.add(Sql.text(" AND "));
            }
            first = false;
            parts.add(inList(d, dimension(d), f.values()));
        }
        parts.add(Sql.text(" THEN "));
        parts.add(value.orElse(Sql.text("1")));
        parts.add(Sql.text(" END"));
        return Optional.of(Sql.concat(parts));
    }

    /** The primary key expression of a view, when it declares one. */
    Optional<Sql> primaryKey(String view) {
        View v = model.views().get(view);
        return v.primaryKey().map(pk -> dimension(v.dimensions().get(pk)));
    }

    /** {@code FN(input)} for a non-number measure. */
    static Sql aggregateOf(MeasureType type, Optional<Sql> input) {
        Sql in = input.orElse(Sql.text("*"));
        return switch (type) {
            case COUNT -> Sql.concat(Sql.text("COUNT("), in, Sql.text(")"));
            case COUNT_DISTINCT -> Sql.concat(Sql.text("COUNT(DISTINCT "), in, Sql.text(")"));
            case SUM -> Sql.concat(Sql.text("SUM("), in, Sql.text(")"));
            case AVG -> Sql.concat(Sql.text("AVG("), in, Sql.text(")"));
            case MIN -> Sql.concat(Sql.text("MIN("), in, Sql.text(")"));
            case MAX -> Sql.concat(Sql.text("MAX("), in, Sql.text(")"));
            case NUMBER -> throw new IllegalArgumentException("a number measure is not an aggregate");
        };
    }

    /** A number measure's expression, its measure references replaced by {@code measureSql}. */
    Sql numberMeasure(Measure m, Function<Measure, Sql> measureSql) {
        return template(m.sql().orElseThrow(), Optional.of(m.view()), measureSql);
    }

    /** {@code dimension = ?} or {@code dimension IN (?, ...)}, text compared exactly. */
    Sql inList(Dimension d, Sql subject, List<?> values) {
        boolean text = d.type() == DimensionType.STRING;
        List<Sql> parts = new ArrayList<>();
        parts.add(text ? new Sql.ExactText(subject) : subject);
        if (values.size() == 1) {
            parts.add(Sql.text(" = "));
            parts.add(text ? new Sql.ExactText(Sql.bind(values.get(0))) : Sql.bind(values.get(0)));
        } else {
            parts.add(Sql.text(" IN ("));
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    parts.add(Sql.text(", "));
                }
                parts.add(text ? new Sql.ExactText(Sql.bind(values.get(i))) : Sql.bind(values.get(i)));
            }
            parts.add(Sql.text(")"));
        }
        return Sql.concat(parts);
    }

    /** Renders a model template; {@code ${TABLE}} is {@code ownView}'s alias. */
    Sql template(SqlTemplate t, Optional<String> ownView, Function<Measure, Sql> measureSql) {
        List<Sql> parts = new ArrayList<>(t.parts().size());
        for (SqlTemplate.Part p : t.parts()) {
            switch (p) {
                case SqlTemplate.Text text -> parts.add(Sql.text(text.text()));
                case SqlTemplate.Table table -> {
                    String view = ownView.orElseThrow();
                    use(view);
                    parts.add(Sql.identifier(view));
                }
                case SqlTemplate.Column column -> parts.add(Sql.identifier(column.name()));
                case SqlTemplate.FieldReference ref -> {
                    if (!topic.reaches(ref.view())) {
                        throw new IllegalStateException("unreachable view " + ref.view() + " in topic " + topic.name());
                    }
                    Field f = model.field(ref.view(), ref.field()).orElseThrow();
                    Sql inner = switch (f) {
                        case Dimension d -> dimension(d);
                        case Measure m -> measureSql.apply(m);
                    };
                    parts.add(Sql.concat(Sql.text("("), inner, Sql.text(")")));
                }
                case SqlTemplate.Attribute attribute -> parts.add(attribute(attribute));
            }
        }
        return Sql.concat(parts);
    }

    private Sql attribute(SqlTemplate.Attribute a) {
        List<String> values = policy.effectiveValues(a.name()).orElseThrow(() -> missingAttribute(a.name()));
        for (String v : values) {
            if (!SendableText.sendable(v)) {
                throw new Refusal("Your user attribute \"" + a.name() + "\" holds a value that cannot be used in a query.");
            }
        }
        if (!a.listContext()) {
            if (values.size() != 1) {
                throw new Refusal("Your user attribute \"" + a.name() + "\" has several values where the model expects one.");
            }
            return Sql.bind(values.get(0));
        }
        List<Sql> parts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                parts.add(Sql.text(", "));
            }
            parts.add(Sql.bind(values.get(i)));
        }
        return Sql.concat(parts);
    }

    Refusal missingAttribute(String attribute) {
        return new Refusal("Your account has no value for the user attribute \"" + attribute + "\", which topic \""
                + topic.name() + "\" requires.");
    }
}
