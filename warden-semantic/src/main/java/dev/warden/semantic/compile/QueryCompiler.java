package dev.warden.semantic.compile;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.warden.semantic.model.AccessFilter;
import dev.warden.semantic.model.Dimension;
import dev.warden.semantic.model.DimensionType;
import dev.warden.semantic.model.Field;
import dev.warden.semantic.model.Measure;
import dev.warden.semantic.model.MeasureType;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.model.SqlTemplate;
import dev.warden.semantic.model.Timeframe;
import dev.warden.semantic.model.Topic;
import dev.warden.semantic.policy.Policy;
import dev.warden.semantic.query.FieldRef;
import dev.warden.semantic.query.Filter;
import dev.warden.semantic.query.Query;
import dev.warden.semantic.query.Sort;
import dev.warden.semantic.query.SortDirection;
import dev.warden.semantic.sql.Dialect;
import dev.warden.semantic.sql.RenderedSql;
import dev.warden.semantic.sql.Sql;
import dev.warden.semantic.sql.SqlWriter;

/**
 * Compiles a person's query into SQL that already carries their restrictions: topic, view and
 * field grants (transitively through references), access filters, {@code always_where}, the
 * curated-only rule for restricted queriers, and fan-out-safe aggregates. Pure and thread-safe;
 * it looks nothing up beyond its arguments.
 */
public final class QueryCompiler {
    /** Rows returned when the query names no limit (API.md). */
    public static final int DEFAULT_LIMIT = 1000;

    private QueryCompiler() {}

    public static Compilation compile(SemanticModel model, Query query, Policy policy, Dialect dialect, long rowCap) {
        return compile(model, query, policy, dialect, rowCap, Clock.systemUTC());
    }

    /** As above, with the clock that {@code in_last} filters count back from. */
    public static Compilation compile(SemanticModel model, Query query, Policy policy, Dialect dialect, long rowCap, Clock clock) {
        requireNonNull(model, "model is null");
        requireNonNull(query, "query is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(dialect, "dialect is null");
        requireNonNull(clock, "clock is null");
        if (rowCap < 1) {
            throw new IllegalArgumentException("rowCap must be positive");
        }
        try {
            return new Run(model, query, policy, dialect, rowCap, clock).compile();
        } catch (Refusal refusal) {
            return new Compilation.Refused(refusal.getMessage());
        }
    }

    /** One compilation's state. */
    private static final class Run {
        private final SemanticModel model;
        private final Query query;
        private final Policy policy;
        private final Dialect dialect;
        private final long rowCap;
        private final Access access;
        private Topic topic;
        private Expressions x;
        private FilterTranslator filters;

        Run(SemanticModel model, Query query, Policy policy, Dialect dialect, long rowCap, Clock clock) {
            this.model = model;
            this.query = query;
            this.policy = policy;
            this.dialect = dialect;
            this.rowCap = rowCap;
            this.access = new Access(model, policy);
            this.filters = new FilterTranslator(query.timezone().orElse(ZoneOffset.UTC), clock);
        }

        Compilation compile() {
            if (!policy.role().mayQuery()) {
                throw new Refusal("Your role on this connection does not allow running queries.");
            }
            topic = model.topic(query.topic()).filter(access::topicQueryable)
                    .orElseThrow(() -> Refusal.unknownTopic(query.topic()));
            x = new Expressions(model, topic, policy, query.timezone().orElse(ZoneOffset.UTC));
            x.use(topic.baseView());

            List<ResolvedField> selected = new ArrayList<>();
            for (FieldRef ref : query.fields()) {
                selected.add(resolve(ref));
            }
            List<ResolvedField> filterFields = new ArrayList<>();
            for (Filter f : query.filters()) {
                filterFields.add(resolve(f.field()));
            }
            List<Integer> sortPositions = new ArrayList<>();
            for (Sort s : query.sorts()) {
                resolve(s.field());
                int position = query.fields().indexOf(s.field());
                if (position < 0) {
                    throw new Refusal("Sort field \"" + s.field() + "\" must be one of the query's fields.");
                }
                sortPositions.add(position);
            }

            // Governance first: these predicates hold whatever the query selects.
            List<Sql> where = new ArrayList<>();
            for (AccessFilter af : topic.accessFilters()) {
                accessFilter(af).ifPresent(where::add);
            }
            topic.alwaysWhere().ifPresent(t -> where.add(x.template(t, Optional.empty(), m -> {
                throw new IllegalStateException("always_where cannot reference a measure");
            })));

            List<Filter> havingFilters = new ArrayList<>();
            List<ResolvedField> havingFields = new ArrayList<>();
            for (int i = 0; i < query.filters().size(); i++) {
                Filter f = query.filters().get(i);
                ResolvedField rf = filterFields.get(i);
                switch (rf.field()) {
                    case Dimension d -> where.add(filters.translate(rf.ref().toString(), filterKind(d, rf.ref()),
                            filterSubject(d, rf.ref()), f));
                    case Measure m -> {
                        havingFilters.add(f);
                        havingFields.add(rf);
                    }
                }
            }

            // Base aggregates: every non-number measure the query needs, directly or through number measures.
            Set<Measure> aggregates = new LinkedHashSet<>();
            for (ResolvedField rf : selected) {
                if (rf.field() instanceof Measure m) {
                    collectAggregates(m, aggregates);
                }
            }
            for (ResolvedField rf : havingFields) {
                collectAggregates((Measure) rf.field(), aggregates);
            }
            Map<Measure, Optional<Sql>> inputs = new LinkedHashMap<>();
            for (Measure m : aggregates) {
                inputs.put(m, x.measureInput(m));
            }
            Map<String, Sql> dimensionSql = new LinkedHashMap<>();
            for (ResolvedField rf : selected) {
                if (rf.field() instanceof Dimension d) {
                    // A raw timestamp leaves the warehouse as stored, UTC: moved to the query's zone
                    // in SQL it would be wall-clock time, which cannot tell apart the two hours a
                    // zone repeats when DST ends. The server shows it in the zone (ColumnInfo.utc).
                    dimensionSql.put(rf.ref().toString(), rawTimestamp(d, rf.ref())
                            ? x.dimension(d) : x.shown(d, rf.ref().timeframe()));
                }
            }

            Sql from = from();
            Set<String> views = x.usedViews();
            JoinGraph graph = new JoinGraph(topic);
            Map<String, List<Measure>> fanned = new LinkedHashMap<>();
            List<Measure> plain = new ArrayList<>();
            for (Measure m : aggregates) {
                if (m.type().sensitiveToFanOut() && graph.fansOut(m.view(), views)) {
                    if (model.views().get(m.view()).primaryKey().isEmpty()) {
                        throw new Refusal("Measure \"" + m.qualifiedName() + "\" would double count in this query: view \""
                                + m.view() + "\" has no primary_key.");
                    }
                    fanned.computeIfAbsent(m.view(), k -> new ArrayList<>()).add(m);
                } else {
                    plain.add(m);
                }
            }

            Select select = new Select(selected, dimensionSql, aggregates, inputs, from, where, havingFilters, havingFields);
            Sql statement = fanned.isEmpty() ? select.direct() : select.combined(plain, fanned);

            int requested = query.limit().orElse(DEFAULT_LIMIT);
            int effective = (int) Math.min(requested, rowCap);
            List<Sql> tail = new ArrayList<>();
            tail.add(statement);
            if (!sortPositions.isEmpty()) {
                tail.add(Sql.text(" ORDER BY "));
                for (int i = 0; i < sortPositions.size(); i++) {
                    tail.add(Sql.text((i > 0 ? ", " : "") + (sortPositions.get(i) + 1)
                            + (query.sorts().get(i).direction() == SortDirection.DESC ? " DESC" : " ASC")));
                }
            }
            // The limit is a number the compiler computed, not a value from the caller: safe as text.
            tail.add(Sql.text(" LIMIT " + (effective + 1L)));
            RenderedSql rendered = SqlWriter.render(Sql.concat(tail), dialect);

            List<ColumnInfo> columns = new ArrayList<>();
            for (ResolvedField rf : selected) {
                columns.add(column(rf));
            }
            return new Compilation.Compiled(rendered.sql(), rendered.binds(), columns, effective, requested > rowCap,
                    rendered.timeZones());
        }

        private ResolvedField resolve(FieldRef ref) {
            Optional<Field> field = model.field(ref.view(), ref.field());
            if (field.isEmpty() || !access.fieldQueryable(topic, field.get())) {
                throw Refusal.unknownField(ref.qualifiedField(), topic.name());
            }
            if (ref.timeframe().isPresent()) {
                if (!(field.get() instanceof Dimension d) || !d.allows(ref.timeframe().get())) {
                    throw new Refusal("Field \"" + ref.qualifiedField() + "\" has no timeframe \""
                            + ref.timeframe().get().wireName() + "\".");
                }
            }
            return new ResolvedField(ref, field.get());
        }

        private Optional<Sql> accessFilter(AccessFilter af) {
            List<String> values = policy.effectiveValues(af.userAttribute())
                    .orElseThrow(() -> x.missingAttribute(af.userAttribute()));
            for (String v : values) {
                if (af.valuesForUnfiltered().contains(v)) {
                    return Optional.empty();
                }
            }
            Dimension d = model.views().get(af.view()).dimensions().get(af.field());
            List<Object> typed = new ArrayList<>();
            for (String v : values) {
                typedAttributeValue(d.type(), v).ifPresent(typed::add);
            }
            if (typed.isEmpty()) {
                // No value can match the column's type: the person sees no rows, never all rows.
                return Optional.of(Sql.text("1 = 0"));
            }
            return Optional.of(x.inList(d, x.dimension(d), typed));
        }

        private static Optional<Object> typedAttributeValue(DimensionType type, String value) {
            try {
                return Optional.of(switch (type) {
                    case STRING -> {
                        if (!SendableText.sendable(value)) {
                            throw new IllegalArgumentException("not sendable");
                        }
                        yield value;
                    }
                    case NUMBER -> new java.math.BigDecimal(value);
                    case BOOLEAN -> {
                        if (!value.equals("true") && !value.equals("false")) {
                            throw new IllegalArgumentException();
                        }
                        yield Boolean.valueOf(value);
                    }
                    case DATE -> java.time.LocalDate.parse(value);
                    case TIMESTAMP -> java.time.LocalDateTime.parse(value);
                });
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        /** A timestamp dimension without a timeframe (or with raw): its values are the stored UTC ones. */
        private static boolean rawTimestamp(Dimension d, FieldRef ref) {
            return d.type() == DimensionType.TIMESTAMP && ref.timeframe().orElse(Timeframe.RAW) == Timeframe.RAW;
        }

        private ValueKind filterKind(Dimension d, FieldRef ref) {
            Timeframe tf = ref.timeframe().orElse(Timeframe.RAW);
            return switch (d.type()) {
                case STRING -> ValueKind.STRING;
                case NUMBER -> ValueKind.NUMBER;
                case BOOLEAN -> ValueKind.BOOLEAN;
                case DATE -> ValueKind.DATE;
                case TIMESTAMP -> tf == Timeframe.RAW ? ValueKind.TIMESTAMP_UTC
                        : tf.producesDate() ? ValueKind.DATE : ValueKind.TIMESTAMP_LOCAL;
            };
        }

        /** A raw timestamp is filtered on the stored UTC column (binds converted), so indexes still serve. */
        private Sql filterSubject(Dimension d, FieldRef ref) {
            Timeframe tf = ref.timeframe().orElse(Timeframe.RAW);
            return tf == Timeframe.RAW ? x.dimension(d) : x.shown(d, ref.timeframe());
        }

        private ValueKind measureKind(Measure m) {
            if ((m.type() == MeasureType.MIN || m.type() == MeasureType.MAX) && m.sql().isPresent()) {
                Optional<Dimension> only = soleReference(m.sql().get());
                if (only.isPresent()) {
                    return filterKind(only.get(), new FieldRef(m.view(), m.name(), Optional.empty()));
                }
            }
            return ValueKind.NUMBER;
        }

        private Optional<Dimension> soleReference(SqlTemplate t) {
            Dimension found = null;
            for (SqlTemplate.Part p : t.parts()) {
                if (p instanceof SqlTemplate.FieldReference r && found == null
                        && model.field(r.view(), r.field()).orElse(null) instanceof Dimension d) {
                    found = d;
                } else if (!(p instanceof SqlTemplate.Text text && text.text().isBlank())) {
                    return Optional.empty();
                }
            }
            return Optional.ofNullable(found);
        }

        private void collectAggregates(Measure m, Set<Measure> out) {
            if (m.type() != MeasureType.NUMBER) {
                out.add(m);
                return;
            }
            for (SqlTemplate.Part p : m.sql().orElseThrow().parts()) {
                if (p instanceof SqlTemplate.FieldReference r && model.field(r.view(), r.field()).orElseThrow() instanceof Measure inner) {
                    x.use(inner.view());
                    collectAggregates(inner, out);
                }
            }
        }

        /** FROM and only the joins the query needs; a needed join pulls in the views its ON uses. */
        private Sql from() {
            List<Join> joins = new ArrayList<>(topic.joins().values().stream().map(j -> new Join(j, null)).toList());
            for (int i = joins.size() - 1; i >= 0; i--) {
                Join j = joins.get(i);
                if (x.usedViews().contains(j.join().view())) {
                    x.use(j.join().parent());
                    joins.set(i, new Join(j.join(), x.template(j.join().on(), Optional.empty(), m -> {
                        throw new IllegalStateException("a join cannot reference a measure");
                    })));
                }
            }
            List<Sql> parts = new ArrayList<>();
            parts.add(Sql.text(" FROM "));
            parts.add(table(topic.baseView()));
            for (Join j : joins) {
                if (j.on() != null) {
                    parts.add(Sql.text(j.join().type() == dev.warden.semantic.model.JoinType.INNER ? " INNER JOIN " : " LEFT JOIN "));
                    parts.add(table(j.join().view()));
                    parts.add(Sql.text(" ON "));
                    parts.add(j.on());
                }
            }
            return Sql.concat(parts);
        }

        private record Join(dev.warden.semantic.model.Join join, Sql on) {}

        private Sql table(String view) {
            var v = model.views().get(view);
            Sql source = v.table().<Sql>map(Sql.TableName::new).orElseGet(() -> Sql.concat(Sql.text("("),
                    x.template(v.derivedSql().orElseThrow(), Optional.of(view), m -> {
                        throw new IllegalStateException("a derived table cannot reference a measure");
                    }), Sql.text(")")));
            return Sql.concat(source, Sql.text(" AS "), Sql.identifier(view));
        }

        private ColumnInfo column(ResolvedField rf) {
            Field f = rf.field();
            Optional<Timeframe> tf = rf.ref().timeframe().filter(t -> t != Timeframe.RAW);
            String label = f.label() + tf.map(t -> " (" + t.wireName() + ")").orElse("");
            return switch (f) {
                case Dimension d -> new ColumnInfo(rf.ref().toString(), label,
                        d.type() == DimensionType.TIMESTAMP && tf.isPresent() && tf.get().producesDate() ? "date" : d.type().wireName(),
                        "dimension", Optional.empty(), rawTimestamp(d, rf.ref()));
                case Measure m -> new ColumnInfo(rf.ref().toString(), label, measureKind(m).columnType(), "measure", m.format(),
                        measureKind(m) == ValueKind.TIMESTAMP_UTC);
            };
        }

        /** Assembles the SELECT, in one of two shapes. */
        private final class Select {
            private final List<ResolvedField> selected;
            private final Map<String, Sql> dimensionSql;
            private final Set<Measure> aggregates;
            private final Map<Measure, Optional<Sql>> inputs;
            private final Sql from;
            private final List<Sql> where;
            private final List<Filter> havingFilters;
            private final List<ResolvedField> havingFields;
            private final List<String> aliases = new ArrayList<>();

            Select(List<ResolvedField> selected, Map<String, Sql> dimensionSql, Set<Measure> aggregates,
                    Map<Measure, Optional<Sql>> inputs, Sql from, List<Sql> where, List<Filter> havingFilters,
                    List<ResolvedField> havingFields) {
                this.selected = selected;
                this.dimensionSql = dimensionSql;
                this.aggregates = aggregates;
                this.inputs = inputs;
                this.from = from;
                this.where = where;
                this.havingFilters = havingFilters;
                this.havingFields = havingFields;
                Set<String> used = new HashSet<>();
                for (ResolvedField rf : selected) {
                    String base = rf.ref().view() + "__" + rf.ref().field()
                            + rf.ref().timeframe().map(t -> "__" + t.wireName()).orElse("");
                    String alias = base;
                    for (int n = 2; !used.add(alias); n++) {
                        alias = base + "_" + n;
                    }
                    aliases.add(alias);
                }
            }

            /** No join multiplies a measure's rows: aggregate straight over the joined rows. */
            Sql direct() {
                Map<Measure, Sql> sql = new HashMap<>();
                for (Measure m : aggregates) {
                    sql.put(m, Expressions.aggregateOf(m.type(), inputs.get(m)));
                }
                return finish(from, where, sql);
            }

            /**
             * Some measures' rows are multiplied by a join. Each such view's measures are aggregated
             * over its distinct rows (by primary key) within each group; the other measures over all
             * rows; the branches are stacked with UNION ALL and folded per group, where each
             * column has exactly one non-null value.
             */
            Sql combined(List<Measure> plain, Map<String, List<Measure>> fanned) {
                List<Measure> order = new ArrayList<>(aggregates);
                List<String> dims = new ArrayList<>(dimensionSql.keySet());
                List<Sql> branches = new ArrayList<>();
                if (!plain.isEmpty()) {
                    List<Sql> items = new ArrayList<>();
                    for (int i = 0; i < dims.size(); i++) {
                        items.add(Sql.concat(dimensionSql.get(dims.get(i)), Sql.text(" AS "), Sql.identifier("d" + i)));
                    }
                    for (int j = 0; j < order.size(); j++) {
                        Measure m = order.get(j);
                        Sql value = plain.contains(m) ? Expressions.aggregateOf(m.type(), inputs.get(m)) : Sql.text("NULL");
                        items.add(Sql.concat(value, Sql.text(" AS "), Sql.identifier("m" + j)));
                    }
                    branches.add(Sql.concat(Sql.text("SELECT "), list(items), from, whereClause(), groupBy(dims.size()),
                            exactKeys(dims, dimensionSql, Optional.empty())));
                }
                for (Map.Entry<String, List<Measure>> group : fanned.entrySet()) {
                    List<Sql> inner = new ArrayList<>();
                    for (int i = 0; i < dims.size(); i++) {
                        inner.add(Sql.concat(dimensionSql.get(dims.get(i)), Sql.text(" AS "), Sql.identifier("d" + i)));
                    }
                    inner.add(Sql.concat(x.primaryKey(group.getKey()).orElseThrow(), Sql.text(" AS "), Sql.identifier("k")));
                    Map<String, Sql> innerDims = new HashMap<>();
                    for (int i = 0; i < dims.size(); i++) {
                        innerDims.put(dims.get(i), Sql.concat(Sql.identifier("g"), Sql.text("."), Sql.identifier("d" + i)));
                    }
                    List<Sql> outer = new ArrayList<>();
                    for (int i = 0; i < dims.size(); i++) {
                        outer.add(Sql.concat(Sql.identifier("g"), Sql.text("."), Sql.identifier("d" + i), Sql.text(" AS "),
                                Sql.identifier("d" + i)));
                    }
                    for (int j = 0; j < order.size(); j++) {
                        Measure m = order.get(j);
                        Sql value;
                        if (group.getValue().contains(m)) {
                            inner.add(Sql.concat(inputs.get(m).orElseThrow(), Sql.text(" AS "), Sql.identifier("i" + j)));
                            value = Expressions.aggregateOf(m.type(),
                                    Optional.of(Sql.concat(Sql.identifier("g"), Sql.text("."), Sql.identifier("i" + j))));
                        } else {
                            value = Sql.text("NULL");
                        }
                        outer.add(Sql.concat(value, Sql.text(" AS "), Sql.identifier("m" + j)));
                    }
                    branches.add(Sql.concat(Sql.text("SELECT "), list(outer), Sql.text(" FROM (SELECT DISTINCT "), list(inner),
                            exactKeys(dims, dimensionSql, Optional.of("b")), from, whereClause(), Sql.text(") AS "), Sql.identifier("g"),
                            groupBy(dims.size()), exactKeys(dims, innerDims, Optional.empty())));
                }
                Map<Measure, Sql> folded = new HashMap<>();
                for (int j = 0; j < order.size(); j++) {
                    folded.put(order.get(j), Sql.concat(Sql.text("MAX("), Sql.identifier("u"), Sql.text("."),
                            Sql.identifier("m" + j), Sql.text(")")));
                }
                Map<String, Sql> outerDims = new HashMap<>();
                for (int i = 0; i < dims.size(); i++) {
                    outerDims.put(dims.get(i), Sql.concat(Sql.identifier("u"), Sql.text("."), Sql.identifier("d" + i)));
                }
                List<Sql> union = new ArrayList<>();
                union.add(Sql.text(" FROM ("));
                for (int b = 0; b < branches.size(); b++) {
                    union.add(Sql.text(b == 0 ? "" : " UNION ALL "));
                    union.add(branches.get(b));
                }
                union.add(Sql.text(") AS "));
                union.add(Sql.identifier("u"));
                return finishWith(outerDims, Sql.concat(union), List.of(), folded);
            }

            private Sql finish(Sql source, List<Sql> predicates, Map<Measure, Sql> aggregateSql) {
                return finishWith(dimensionSql, source, predicates, aggregateSql);
            }

            private Sql finishWith(Map<String, Sql> dims, Sql source, List<Sql> predicates, Map<Measure, Sql> aggregateSql) {
                List<Sql> items = new ArrayList<>();
                List<Integer> groupPositions = new ArrayList<>();
                for (int i = 0; i < selected.size(); i++) {
                    ResolvedField rf = selected.get(i);
                    Sql value = switch (rf.field()) {
                        case Dimension d -> {
                            groupPositions.add(i + 1);
                            yield dims.get(rf.ref().toString());
                        }
                        case Measure m -> {
                            yield measureSql(m, aggregateSql); // a timestamp stays UTC, as raw dimensions do
                        }
                    };
                    items.add(Sql.concat(value, Sql.text(" AS "), Sql.identifier(aliases.get(i))));
                }
                List<Sql> parts = new ArrayList<>();
                parts.add(Sql.text("SELECT "));
                parts.add(list(items));
                parts.add(source);
                if (!predicates.isEmpty()) {
                    parts.add(Sql.text(" WHERE "));
                    parts.add(conjunction(predicates));
                }
                if (!groupPositions.isEmpty()) {
                    StringBuilder g = new StringBuilder(" GROUP BY ");
                    for (int i = 0; i < groupPositions.size(); i++) {
                        g.append(i > 0 ? ", " : "").append(groupPositions.get(i));
                    }
                    parts.add(Sql.text(g.toString()));
                    for (ResolvedField rf : selected) {
                        if (isText(rf)) {
                            parts.add(new Sql.ExactGroupKey(dims.get(rf.ref().toString()), Optional.empty()));
                        }
                    }
                }
                if (!havingFilters.isEmpty()) {
                    List<Sql> having = new ArrayList<>();
                    for (int i = 0; i < havingFilters.size(); i++) {
                        Measure m = (Measure) havingFields.get(i).field();
                        having.add(filters.translate(havingFields.get(i).ref().toString(), measureKind(m),
                                measureSql(m, aggregateSql), havingFilters.get(i)));
                    }
                    parts.add(Sql.text(" HAVING "));
                    parts.add(conjunction(having));
                }
                return Sql.concat(parts);
            }

            private boolean isText(ResolvedField rf) {
                return rf.field() instanceof Dimension d && d.type() == DimensionType.STRING;
            }

            /** Exact grouping keys for the text dimensions (MySQL only; nothing elsewhere). */
            private Sql exactKeys(List<String> dims, Map<String, Sql> sql, Optional<String> aliasPrefix) {
                List<Sql> keys = new ArrayList<>();
                for (int i = 0; i < dims.size(); i++) {
                    String dim = dims.get(i);
                    int index = i;
                    if (selected.stream().anyMatch(rf -> rf.ref().toString().equals(dim) && isText(rf))) {
                        keys.add(new Sql.ExactGroupKey(sql.get(dim), aliasPrefix.map(p -> p + index)));
                    }
                }
                return Sql.concat(keys);
            }

            private Sql measureSql(Measure m, Map<Measure, Sql> aggregateSql) {
                if (m.type() != MeasureType.NUMBER) {
                    return aggregateSql.get(m);
                }
                return x.numberMeasure(m, inner -> measureSql(inner, aggregateSql));
            }

            private Sql whereClause() {
                return where.isEmpty() ? Sql.text("") : Sql.concat(Sql.text(" WHERE "), conjunction(where));
            }

            private static Sql groupBy(int dims) {
                if (dims == 0) {
                    return Sql.text("");
                }
                StringBuilder g = new StringBuilder(" GROUP BY ");
                for (int i = 1; i <= dims; i++) {
                    g.append(i > 1 ? ", " : "").append(i);
                }
                return Sql.text(g.toString());
            }

            private static Sql list(List<Sql> items) {
                List<Sql> parts = new ArrayList<>(items.size() * 2);
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        parts.add(Sql.text(", "));
                    }
                    parts.add(items.get(i));
                }
                return Sql.concat(parts);
            }

            private static Sql conjunction(List<Sql> predicates) {
                List<Sql> parts = new ArrayList<>(predicates.size() * 4);
                for (int i = 0; i < predicates.size(); i++) {
                    parts.add(Sql.text(i > 0 ? " AND (" : "("));
                    parts.add(predicates.get(i));
                    parts.add(Sql.text(")"));
                }
                return Sql.concat(parts);
            }
        }
    }
}
