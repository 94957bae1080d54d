package dev.warden.semantic.model;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.warden.semantic.model.YamlTree.Entry;
import dev.warden.semantic.model.YamlTree.ListNode;
import dev.warden.semantic.model.YamlTree.MapNode;
import dev.warden.semantic.model.YamlTree.Node;
import dev.warden.semantic.model.YamlTree.Pos;
import dev.warden.semantic.model.YamlTree.ScalarKind;
import dev.warden.semantic.model.YamlTree.ScalarNode;

/**
 * One validation run. It keeps going after a problem so that the modeler sees every problem at
 * once; an element with a problem is skipped, never guessed, and the model is not produced.
 */
final class ModelReader {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern TABLE_PART = Pattern.compile("[A-Za-z0-9_$-]{1,128}");

    private static final Set<String> ROOT_KEYS = Set.of("connection", "access_grants", "default_topic_access_filters",
            "default_topic_required_access_grants", "views", "topics");
    private static final Set<String> GRANT_KEYS = Set.of("user_attribute", "allowed_values");
    private static final Set<String> FILTER_KEYS = Set.of("field", "user_attribute", "values_for_unfiltered");
    private static final Set<String> VIEW_KEYS = Set.of("table", "sql", "primary_key", "dimensions", "measures", "label",
            "description", "hidden", "required_access_grants");
    private static final Set<String> DIMENSION_KEYS = Set.of("type", "sql", "timeframes", "label", "description", "hidden",
            "required_access_grants");
    private static final Set<String> MEASURE_KEYS = Set.of("type", "sql", "filters", "format", "label", "description",
            "hidden", "required_access_grants");
    private static final Set<String> TOPIC_KEYS = Set.of("base_view", "joins", "fields", "access_filters", "always_where",
            "required_access_grants", "curated", "label", "description");
    private static final Set<String> JOIN_KEYS = Set.of("on", "relationship", "type");

    private final Optional<Set<String>> knownAttributes;
    private final List<ModelProblem> problems = new ArrayList<>();
    private final List<ModelProblem> warnings = new ArrayList<>();
    private final List<AttributeUsage> usages = new ArrayList<>();

    /** view name -> field name -> the field's kind, known before any field is built (for references). */
    private final Map<String, Map<String, FieldSymbol>> symbols = new LinkedHashMap<>();
    private final Map<String, AccessGrant> grants = new LinkedHashMap<>();
    /** qualified field -> qualified fields its SQL references, for cycle detection. */
    private final Map<String, Set<String>> references = new LinkedHashMap<>();
    private final Map<String, Pos> fieldPositions = new HashMap<>();

    private record FieldSymbol(boolean measure, Optional<DimensionType> dimensionType, Optional<MeasureType> measureType) {}

    ModelReader(Optional<Set<String>> knownAttributes) {
        this.knownAttributes = knownAttributes;
    }

    ModelLoad read(String yaml) {
        Node root = YamlTree.parse(yaml, problems);
        if (root == null) {
            return new ModelLoad.Invalid(problems);
        }
        if (!(root instanceof MapNode model)) {
            error(root.pos(), "the model must be a mapping", "start with 'connection:' and 'views:'");
            return new ModelLoad.Invalid(problems);
        }
        checkKeys(model, ROOT_KEYS, "the model");
        String connection = requiredString(model, "connection", "the model").orElse("");
        Entry viewsEntry = model.entries().get("views");
        MapNode viewsMap = null;
        if (viewsEntry == null) {
            error(model.pos(), "the model has no 'views'", "add 'views:' with at least one view");
        } else if (asMap(viewsEntry.value(), "'views'") instanceof MapNode m) {
            viewsMap = m;
            collectSymbols(viewsMap);
        }

        readGrants(model);
        List<AccessFilter> defaultFilters = List.of();
        Pos defaultFiltersPos = model.pos();
        Entry defaultFilterEntry = model.entries().get("default_topic_access_filters");
        if (defaultFilterEntry != null) {
            defaultFiltersPos = defaultFilterEntry.keyPos();
            defaultFilters = readAccessFilters(defaultFilterEntry.value(), "default_topic_access_filters",
                    new HashMap<>());
        }
        List<String> defaultGrants = grantList(model, "default_topic_required_access_grants");

        Map<String, View> views = new LinkedHashMap<>();
        if (viewsMap != null) {
            for (Entry e : viewsMap.entries().values()) {
                readView(e).ifPresent(v -> views.put(v.name(), v));
            }
        }
        checkCycles();

        Map<String, Topic> topics = new LinkedHashMap<>();
        Entry topicsEntry = model.entries().get("topics");
        if (topicsEntry != null && asMap(topicsEntry.value(), "'topics'") instanceof MapNode topicsMap) {
            for (Entry e : topicsMap.entries().values()) {
                readTopic(e, views, defaultFilterEntry != null, defaultFilters, defaultFiltersPos, defaultGrants)
                        .ifPresent(t -> topics.put(t.name(), t));
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(ModelProblem::line).thenComparingInt(ModelProblem::column));
            return new ModelLoad.Invalid(problems);
        }
        return new ModelLoad.Loaded(new SemanticModel(connection, grants, views, topics, usages), warnings);
    }

    // ---- access grants and filters ----

    private void readGrants(MapNode model) {
        Entry entry = model.entries().get("access_grants");
        if (entry == null || !(asMap(entry.value(), "'access_grants'") instanceof MapNode map)) {
            return;
        }
        for (Entry e : map.entries().values()) {
            if (!identifier(e.key(), e.keyPos(), "access grant")) {
                continue;
            }
            if (!(asMap(e.value(), "access grant '" + e.key() + "'") instanceof MapNode g)) {
                continue;
            }
            String where = "access grant '" + e.key() + "'";
            checkKeys(g, GRANT_KEYS, where);
            Optional<String> attribute = requiredString(g, "user_attribute", where);
            attribute.ifPresent(a -> attributeUse(a, g.entries().get("user_attribute").value().pos(),
                    "access grant " + e.key(), "access_grant"));
            List<String> allowed = List.of();
            Entry allowedEntry = g.entries().get("allowed_values");
            if (allowedEntry == null) {
                error(g.pos(), where + " has no 'allowed_values'", "list the attribute values that pass, e.g. allowed_values: [finance]");
            } else {
                allowed = scalarList(allowedEntry.value(), where + " allowed_values");
                if (allowed.isEmpty() && allowedEntry.value() instanceof ListNode) {
                    error(allowedEntry.keyPos(), where + " has an empty 'allowed_values'", "an empty list lets nobody pass; list at least one value");
                }
            }
            if (attribute.isPresent()) {
                grants.put(e.key(), new AccessGrant(e.key(), attribute.get(), allowed));
            }
        }
    }

    private List<AccessFilter> readAccessFilters(Node node, String where, Map<AccessFilter, Pos> positions) {
        List<AccessFilter> out = new ArrayList<>();
        if (!(node instanceof ListNode list)) {
            error(node.pos(), where + " must be a list", "write each filter as '- field: view.field' with 'user_attribute:'");
            return out;
        }
        for (Node item : list.items()) {
            if (!(asMap(item, "an access filter") instanceof MapNode f)) {
                continue;
            }
            checkKeys(f, FILTER_KEYS, "access filter");
            Optional<String> field = requiredString(f, "field", "access filter");
            Optional<String> attribute = requiredString(f, "user_attribute", "access filter");
            List<String> unfiltered = List.of();
            Entry unfilteredEntry = f.entries().get("values_for_unfiltered");
            if (unfilteredEntry != null) {
                unfiltered = scalarList(unfilteredEntry.value(), "values_for_unfiltered");
            }
            attribute.ifPresent(a -> attributeUse(a, f.entries().get("user_attribute").value().pos(), where, "access_filter"));
            if (field.isEmpty() || attribute.isEmpty()) {
                continue;
            }
            Pos fieldPos = f.entries().get("field").value().pos();
            int dot = field.get().indexOf('.');
            if (dot <= 0 || dot != field.get().lastIndexOf('.')) {
                error(fieldPos, "access filter field '" + field.get() + "' must be written view.field", "e.g. field: orders.region");
                continue;
            }
            String view = field.get().substring(0, dot);
            String name = field.get().substring(dot + 1);
            Map<String, FieldSymbol> viewSymbols = symbols.get(view);
            FieldSymbol symbol = viewSymbols == null ? null : viewSymbols.get(name);
            if (!symbols.isEmpty() && symbol == null) {
                error(fieldPos, "access filter on unknown field '" + field.get() + "'", didYouMean(field.get(), allFieldNames()));
                continue;
            }
            if (symbol != null && symbol.measure()) {
                error(fieldPos, "access filter on measure '" + field.get() + "'", "an access filter restricts rows: use a dimension");
                continue;
            }
            AccessFilter filter = new AccessFilter(view, name, attribute.get(), unfiltered);
            positions.put(filter, fieldPos);
            out.add(filter);
        }
        return out;
    }

    // ---- views ----

    private void collectSymbols(MapNode viewsMap) {
        for (Entry e : viewsMap.entries().values()) {
            Map<String, FieldSymbol> fields = new LinkedHashMap<>();
            symbols.put(e.key(), fields);
            if (!(e.value() instanceof MapNode view)) {
                continue;
            }
            if (view.entries().get("dimensions") instanceof Entry d && d.value() instanceof MapNode dims) {
                for (Entry f : dims.entries().values()) {
                    Optional<DimensionType> type = Optional.empty();
                    if (f.value() instanceof MapNode fm && fm.entries().get("type") instanceof Entry t
                            && t.value() instanceof ScalarNode s) {
                        type = DimensionType.fromWire(s.text());
                    }
                    fields.put(f.key(), new FieldSymbol(false, type, Optional.empty()));
                }
            }
            if (view.entries().get("measures") instanceof Entry m && m.value() instanceof MapNode measures) {
                for (Entry f : measures.entries().values()) {
                    Optional<MeasureType> type = Optional.empty();
                    if (f.value() instanceof MapNode fm && fm.entries().get("type") instanceof Entry t
                            && t.value() instanceof ScalarNode s) {
                        type = MeasureType.fromWire(s.text());
                    }
                    if (!fields.containsKey(f.key())) {
                        fields.put(f.key(), new FieldSymbol(true, Optional.empty(), type));
                    }
                }
            }
        }
    }

    private Optional<View> readView(Entry e) {
        String name = e.key();
        boolean ok = identifier(name, e.keyPos(), "view");
        if (!(asMap(e.value(), "view '" + name + "'") instanceof MapNode v)) {
            return Optional.empty();
        }
        String where = "view '" + name + "'";
        int before = problems.size();
        checkKeys(v, VIEW_KEYS, where);
        Optional<String> table = optionalString(v, "table", where);
        Optional<SqlTemplate> derived = Optional.empty();
        Optional<String> derivedText = optionalString(v, "sql", where);
        if (table.isPresent() == derivedText.isPresent()) {
            error(v.pos(), where + " needs exactly one of 'table' or 'sql'", "table: schema.table, or sql: a SELECT for a derived table");
        }
        table.ifPresent(t -> {
            String[] parts = t.split("\\.", -1);
            boolean valid = parts.length <= 3;
            for (String p : parts) {
                valid &= TABLE_PART.matcher(p).matches();
            }
            if (!valid) {
                error(v.entries().get("table").value().pos(), where + " has an invalid table name '" + t + "'",
                        "write schema.table (letters, digits, '_', '$', '-'; at most three parts)");
            }
        });
        if (derivedText.isPresent()) {
            derived = template(derivedText.get(), v.entries().get("sql").value().pos(), Scope.derivedTable(name), "view " + name);
        }
        Optional<String> primaryKey = optionalString(v, "primary_key", where);
        primaryKey.ifPresent(pk -> {
            FieldSymbol s = symbols.get(name).get(pk);
            if (s == null || s.measure()) {
                error(v.entries().get("primary_key").value().pos(), where + " primary_key '" + pk + "' is not a dimension of the view",
                        "declare '" + pk + "' under dimensions, or name an existing dimension");
            }
        });
        List<String> viewGrants = grantList(v, "required_access_grants");
        recordGrantUse(viewGrants, "view " + name);

        Map<String, Dimension> dimensions = new LinkedHashMap<>();
        Entry dimsEntry = v.entries().get("dimensions");
        if (dimsEntry != null && asMap(dimsEntry.value(), where + " dimensions") instanceof MapNode dims) {
            for (Entry d : dims.entries().values()) {
                readDimension(name, d).ifPresent(dim -> dimensions.put(dim.name(), dim));
            }
        }
        Map<String, Measure> measures = new LinkedHashMap<>();
        Entry measuresEntry = v.entries().get("measures");
        if (measuresEntry != null && asMap(measuresEntry.value(), where + " measures") instanceof MapNode ms) {
            for (Entry m : ms.entries().values()) {
                if (dimensions.containsKey(m.key()) || (dimsEntry != null && dimsEntry.value() instanceof MapNode dm
                        && dm.entries().containsKey(m.key()))) {
                    error(m.keyPos(), "measure '" + name + "." + m.key() + "' has the same name as a dimension",
                            "field names are unique within a view: rename one");
                    continue;
                }
                readMeasure(name, m).ifPresent(measure -> measures.put(measure.name(), measure));
            }
        }
        if (!ok || problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new View(name, table, derived, primaryKey, dimensions, measures,
                optionalString(v, "label", where).orElse(labelFor(name)), optionalString(v, "description", where),
                optionalBoolean(v, "hidden", where), viewGrants));
    }

    private Optional<Dimension> readDimension(String view, Entry e) {
        String qualified = view + "." + e.key();
        String where = "dimension '" + qualified + "'";
        boolean ok = identifier(e.key(), e.keyPos(), "dimension");
        fieldPositions.put(qualified, e.keyPos());
        if (!(asMap(e.value(), where) instanceof MapNode d)) {
            return Optional.empty();
        }
        int before = problems.size();
        checkKeys(d, DIMENSION_KEYS, where);
        Optional<DimensionType> type = Optional.empty();
        Optional<String> typeText = requiredString(d, "type", where);
        if (typeText.isPresent()) {
            type = DimensionType.fromWire(typeText.get());
            if (type.isEmpty()) {
                error(d.entries().get("type").value().pos(), where + " has unknown type '" + typeText.get() + "'",
                        "one of string, number, boolean, date, timestamp");
            }
        }
        SqlTemplate sql = new SqlTemplate("${TABLE}." + e.key(),
                List.of(new SqlTemplate.Table(), new SqlTemplate.Text("."), new SqlTemplate.Column(e.key())));
        Optional<String> sqlText = optionalString(d, "sql", where);
        if (sqlText.isPresent()) {
            Optional<SqlTemplate> t = template(sqlText.get(), d.entries().get("sql").value().pos(), Scope.dimension(view), "field " + qualified);
            if (t.isPresent()) {
                sql = t.get();
                references.put(qualified, referencedFields(sql));
            }
        }
        Set<Timeframe> timeframes = new LinkedHashSet<>();
        Entry tfEntry = d.entries().get("timeframes");
        if (tfEntry != null) {
            if (type.isPresent() && !type.get().isTime()) {
                error(tfEntry.keyPos(), where + " has timeframes but is of type " + type.get().wireName(),
                        "timeframes are only for date and timestamp dimensions: remove them or change the type");
            }
            for (String tf : scalarList(tfEntry.value(), where + " timeframes")) {
                Optional<Timeframe> t = Timeframe.fromWire(tf);
                if (t.isEmpty()) {
                    error(tfEntry.value().pos(), where + " has unknown timeframe '" + tf + "'",
                            "one of raw, date, week, month, quarter, year, hour");
                } else if (t.get() == Timeframe.HOUR && type.orElse(null) == DimensionType.DATE) {
                    error(tfEntry.value().pos(), where + " is a date and cannot have timeframe 'hour'", "use it on a timestamp dimension");
                } else {
                    timeframes.add(t.get());
                }
            }
        }
        List<String> fieldGrants = grantList(d, "required_access_grants");
        recordGrantUse(fieldGrants, "field " + qualified);
        if (!ok || type.isEmpty() || problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Dimension(view, e.key(), type.get(), sql, timeframes,
                optionalString(d, "label", where).orElse(labelFor(e.key())), optionalString(d, "description", where),
                optionalBoolean(d, "hidden", where), fieldGrants));
    }

    private Optional<Measure> readMeasure(String view, Entry e) {
        String qualified = view + "." + e.key();
        String where = "measure '" + qualified + "'";
        boolean ok = identifier(e.key(), e.keyPos(), "measure");
        fieldPositions.put(qualified, e.keyPos());
        if (!(asMap(e.value(), where) instanceof MapNode m)) {
            return Optional.empty();
        }
        int before = problems.size();
        checkKeys(m, MEASURE_KEYS, where);
        Optional<MeasureType> type = Optional.empty();
        Optional<String> typeText = requiredString(m, "type", where);
        if (typeText.isPresent()) {
            type = MeasureType.fromWire(typeText.get());
            if (type.isEmpty()) {
                error(m.entries().get("type").value().pos(), where + " has unknown type '" + typeText.get() + "'",
                        "one of count, count_distinct, sum, avg, min, max, number");
            }
        }
        Optional<SqlTemplate> sql = Optional.empty();
        Optional<String> sqlText = optionalString(m, "sql", where);
        if (sqlText.isEmpty() && type.isPresent() && type.get() != MeasureType.COUNT) {
            error(m.pos(), where + " of type " + type.get().wireName() + " needs 'sql'",
                    type.get() == MeasureType.NUMBER ? "e.g. sql: \"${total_amount} * 0.3\"" : "e.g. sql: \"${amount}\"");
        }
        if (sqlText.isPresent() && type.isPresent()) {
            Scope scope = type.get() == MeasureType.NUMBER ? Scope.numberMeasure(view) : Scope.aggregateMeasure(view);
            sql = template(sqlText.get(), m.entries().get("sql").value().pos(), scope, "field " + qualified);
            sql.ifPresent(t -> references.put(qualified, referencedFields(t)));
        }
        List<Measure.MeasureFilter> filters = new ArrayList<>();
        Entry filtersEntry = m.entries().get("filters");
        if (filtersEntry != null && asMap(filtersEntry.value(), where + " filters") instanceof MapNode fm) {
            if (type.orElse(null) == MeasureType.NUMBER) {
                error(filtersEntry.keyPos(), where + " is of type number and cannot have filters", "filter the measures it references instead");
            }
            for (Entry f : fm.entries().values()) {
                FieldSymbol s = symbols.get(view).get(f.key());
                if (s == null || s.measure()) {
                    error(f.keyPos(), where + " filters on '" + f.key() + "', which is not a dimension of view '" + view + "'",
                            didYouMean(f.key(), dimensionNames(view)));
                    continue;
                }
                List<Object> values = new ArrayList<>();
                for (String raw : scalarList(f.value(), where + " filter " + f.key())) {
                    typedValue(raw, s.dimensionType().orElse(DimensionType.STRING), f.value().pos(), where).ifPresent(values::add);
                }
                references.computeIfAbsent(qualified, k -> new LinkedHashSet<>()).add(view + "." + f.key());
                filters.add(new Measure.MeasureFilter(f.key(), values));
            }
        }
        List<String> fieldGrants = grantList(m, "required_access_grants");
        recordGrantUse(fieldGrants, "field " + qualified);
        if (!ok || type.isEmpty() || problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Measure(view, e.key(), type.get(), sql, filters, optionalString(m, "format", where),
                optionalString(m, "label", where).orElse(labelFor(e.key())), optionalString(m, "description", where),
                optionalBoolean(m, "hidden", where), fieldGrants));
    }

    private Optional<Object> typedValue(String raw, DimensionType type, Pos pos, String where) {
        try {
            return Optional.of(switch (type) {
                case STRING -> raw;
                case NUMBER -> new BigDecimal(raw);
                case BOOLEAN -> {
                    if (!raw.equals("true") && !raw.equals("false")) {
                        throw new IllegalArgumentException();
                    }
                    yield Boolean.valueOf(raw);
                }
                case DATE -> LocalDate.parse(raw);
                case TIMESTAMP -> LocalDateTime.parse(raw);
            });
        } catch (IllegalArgumentException | DateTimeParseException ex) {
            error(pos, where + " filter value '" + raw + "' is not a " + type.wireName(), "write a value of the dimension's type");
            return Optional.empty();
        }
    }

    private void checkCycles() {
        Map<String, Integer> state = new HashMap<>();
        for (String field : references.keySet()) {
            List<String> path = new ArrayList<>();
            if (cycleFrom(field, state, path)) {
                return;
            }
        }
    }

    private boolean cycleFrom(String field, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(field);
        if (s != null && s == 2) {
            return false;
        }
        path.add(field);
        if (s != null && s == 1) {
            List<String> cycle = path.subList(path.indexOf(field), path.size());
            Pos pos = fieldPositions.getOrDefault(field, new Pos(1, 1));
            error(pos, "cyclic reference: " + String.join(" -> ", cycle), "a field cannot depend on itself; break the cycle");
            return true;
        }
        state.put(field, 1);
        for (String next : references.getOrDefault(field, Set.of())) {
            if (cycleFrom(next, state, path)) {
                return true;
            }
        }
        state.put(field, 2);
        path.remove(path.size() - 1);
        return false;
    }

    // ---- topics ----

    private Optional<Topic> readTopic(Entry e, Map<String, View> views, boolean hasDefaultFilters,
            List<AccessFilter> defaultFilters, Pos defaultFiltersPos, List<String> defaultGrants) {
        String name = e.key();
        String where = "topic '" + name + "'";
        boolean ok = identifier(name, e.keyPos(), "topic");
        if (!(asMap(e.value(), where) instanceof MapNode t)) {
            return Optional.empty();
        }
        int before = problems.size();
        checkKeys(t, TOPIC_KEYS, where);
        Optional<String> base = requiredString(t, "base_view", where);
        if (base.isPresent() && !symbols.containsKey(base.get())) {
            error(t.entries().get("base_view").value().pos(), where + " base_view '" + base.get() + "' is not a view",
                    didYouMean(base.get(), symbols.keySet()));
            return Optional.empty();
        }
        if (base.isEmpty()) {
            return Optional.empty();
        }
        Set<String> inTopic = new LinkedHashSet<>();
        inTopic.add(base.get());
        Map<String, Join> joins = new LinkedHashMap<>();
        Entry joinsEntry = t.entries().get("joins");
        if (joinsEntry != null && asMap(joinsEntry.value(), where + " joins") instanceof MapNode jm) {
            for (Entry j : jm.entries().values()) {
                readJoin(name, j, inTopic).ifPresent(join -> joins.put(join.view(), join));
                inTopic.add(j.key());
            }
        }
        Optional<List<String>> fields = Optional.empty();
        Entry fieldsEntry = t.entries().get("fields");
        if (fieldsEntry != null) {
            List<String> expanded = new ArrayList<>();
            for (String f : scalarList(fieldsEntry.value(), where + " fields")) {
                int dot = f.indexOf('.');
                String view = dot > 0 ? f.substring(0, dot) : "";
                String field = dot > 0 ? f.substring(dot + 1) : "";
                if (!inTopic.contains(view)) {
                    error(fieldsEntry.value().pos(), where + " fields lists '" + f + "', whose view is not in the topic",
                            "write view.field or view.* for the base view or a joined view");
                } else if (field.equals("*")) {
                    expanded.addAll(symbols.get(view).keySet().stream().map(n -> view + "." + n).toList());
                } else if (!symbols.get(view).containsKey(field)) {
                    error(fieldsEntry.value().pos(), where + " fields lists unknown field '" + f + "'",
                            didYouMean(field, symbols.get(view).keySet()));
                } else {
                    expanded.add(f);
                }
            }
            fields = Optional.of(expanded);
        }
        List<AccessFilter> filters;
        Map<AccessFilter, Pos> filterPositions = new HashMap<>();
        Entry filtersEntry = t.entries().get("access_filters");
        if (filtersEntry != null) {
            filters = readAccessFilters(filtersEntry.value(), "topic " + name, filterPositions);
            if (filters.isEmpty() && hasDefaultFilters && !defaultFilters.isEmpty() && filtersEntry.value() instanceof ListNode) {
                warn(filtersEntry.keyPos(), where + " opts out of the default access filters with an empty list",
                        "every person who may query this topic sees all its rows; remove 'access_filters: []' to inherit the defaults");
            }
        } else {
            filters = defaultFilters;
            for (AccessFilter f : defaultFilters) {
                filterPositions.put(f, defaultFiltersPos);
                attributeUse(f.userAttribute(), null, "topic " + name, "access_filter");
            }
        }
        for (AccessFilter f : filters) {
            if (!inTopic.contains(f.view())) {
                Pos pos = filterPositions.getOrDefault(f, t.pos());
                error(pos, where + " has an access filter on '" + f.qualifiedField() + "' but does not join view '" + f.view() + "'",
                        filtersEntry == null ? "join '" + f.view() + "' in the topic, or give the topic its own access_filters"
                                : "join '" + f.view() + "' in the topic, or filter on a field of a view it has");
            }
        }
        List<String> topicGrants;
        if (t.entries().containsKey("required_access_grants")) {
            topicGrants = grantList(t, "required_access_grants");
            if (topicGrants.isEmpty() && !defaultGrants.isEmpty()) {
                warn(t.entries().get("required_access_grants").keyPos(), where + " opts out of the default required access grants",
                        "remove 'required_access_grants: []' to inherit the defaults");
            }
        } else {
            topicGrants = defaultGrants;
        }
        recordGrantUse(topicGrants, "topic " + name);
        Optional<SqlTemplate> alwaysWhere = Optional.empty();
        Optional<String> alwaysWhereText = optionalString(t, "always_where", where);
        if (alwaysWhereText.isPresent()) {
            alwaysWhere = template(alwaysWhereText.get(), t.entries().get("always_where").value().pos(), Scope.topic(inTopic), "topic " + name);
        }
        boolean curated = optionalBoolean(t, "curated", where);
        Optional<String> label = optionalString(t, "label", where);
        Optional<String> description = optionalString(t, "description", where);
        if (!ok || problems.size() > before) {
            return Optional.empty();
        }
        warnAboutMissingKeys(name, base.get(), joins, views, t.pos());
        return Optional.of(new Topic(name, base.get(), joins, fields, filters, alwaysWhere, topicGrants, curated,
                label.orElse(labelFor(name)), description));
    }

    private void warnAboutMissingKeys(String topic, String base, Map<String, Join> joins, Map<String, View> views, Pos pos) {
        for (Join j : joins.values()) {
            for (String v : List.of(j.view(), j.parent())) {
                View view = views.get(v);
                if (view != null && view.primaryKey().isEmpty() && view.measures().values().stream()
                        .anyMatch(m -> m.type().sensitiveToFanOut())) {
                    warn(pos, "topic '" + topic + "': view '" + v + "' has no primary_key, so its count, sum and avg "
                            + "measures are refused whenever a join multiplies its rows", "declare primary_key on view '" + v + "'");
                    return;
                }
            }
        }
    }

    private Optional<Join> readJoin(String topic, Entry j, Set<String> earlier) {
        String where = "join '" + j.key() + "' of topic '" + topic + "'";
        if (!symbols.containsKey(j.key())) {
            error(j.keyPos(), where + " names undefined view '" + j.key() + "'", didYouMean(j.key(), symbols.keySet()));
            return Optional.empty();
        }
        if (earlier.contains(j.key())) {
            error(j.keyPos(), where + " joins view '" + j.key() + "' a second time", "a topic joins each view once");
            return Optional.empty();
        }
        if (!(asMap(j.value(), where) instanceof MapNode m)) {
            return Optional.empty();
        }
        checkKeys(m, JOIN_KEYS, where);
        Optional<String> on = requiredString(m, "on", where);
        Optional<String> relText = requiredString(m, "relationship", where);
        Optional<Relationship> rel = relText.flatMap(Relationship::fromWire);
        if (relText.isPresent() && rel.isEmpty()) {
            error(m.entries().get("relationship").value().pos(), where + " has unknown relationship '" + relText.get() + "'",
                    "one of many_to_one, one_to_many, one_to_one");
        }
        JoinType type = JoinType.LEFT;
        Optional<String> typeText = optionalString(m, "type", where);
        if (typeText.isPresent()) {
            Optional<JoinType> parsed = JoinType.fromWire(typeText.get());
            if (parsed.isEmpty()) {
                error(m.entries().get("type").value().pos(), where + " has unknown type '" + typeText.get() + "'", "left or inner");
            }
            type = parsed.orElse(JoinType.LEFT);
        }
        if (on.isEmpty() || rel.isEmpty()) {
            return Optional.empty();
        }
        Set<String> allowed = new LinkedHashSet<>(earlier);
        allowed.add(j.key());
        Pos onPos = m.entries().get("on").value().pos();
        Optional<SqlTemplate> template = template(on.get(), onPos, Scope.topic(allowed), "topic " + topic);
        if (template.isEmpty()) {
            return Optional.empty();
        }
        boolean referencesSelf = false;
        String parent = null;
        for (SqlTemplate.Part p : template.get().parts()) {
            if (p instanceof SqlTemplate.FieldReference r) {
                if (r.view().equals(j.key())) {
                    referencesSelf = true;
                } else if (parent == null || indexOf(earlier, r.view()) > indexOf(earlier, parent)) {
                    parent = r.view();
                }
            }
        }
        if (!referencesSelf || parent == null) {
            error(onPos, where + " 'on' must reference a field of '" + j.key() + "' and a field of a view joined before it",
                    "e.g. on: \"${orders.user_id} = ${users.id}\"");
            return Optional.empty();
        }
        return Optional.of(new Join(j.key(), template.get(), rel.get(), type, parent));
    }

    private static int indexOf(Collection<String> ordered, String value) {
        int i = 0;
        for (String s : ordered) {
            if (s.equals(value)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    // ---- templates ----

    /** Where a template appears decides which references it may contain. */
    private record Scope(Optional<String> ownView, boolean allowTable, boolean dimensions, boolean measures,
            boolean ownViewOnly, Optional<Set<String>> views) {
        static Scope dimension(String view) {
            return new Scope(Optional.of(view), true, true, false, false, Optional.empty());
        }

        static Scope aggregateMeasure(String view) {
            return new Scope(Optional.of(view), true, true, false, true, Optional.empty());
        }

        static Scope numberMeasure(String view) {
            return new Scope(Optional.of(view), false, false, true, false, Optional.empty());
        }

        static Scope derivedTable(String view) {
            return new Scope(Optional.of(view), false, false, false, true, Optional.empty());
        }

        static Scope topic(Set<String> views) {
            return new Scope(Optional.empty(), false, true, false, false, Optional.of(Set.copyOf(views)));
        }
    }

    private Optional<SqlTemplate> template(String text, Pos pos, Scope scope, String place) {
        List<SqlTemplate.Part> parts = new ArrayList<>();
        int before = problems.size();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '?') {
                error(pos, place + ": SQL contains '?'", "'?' is reserved for bind values; rewrite the expression without it");
                i++;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    error(pos, place + ": unclosed '${' in SQL", "close the reference with '}'");
                    break;
                }
                flush(literal, parts);
                reference(text.substring(i + 2, end).trim(), pos, scope, place).ifPresent(parts::add);
                i = end + 1;
            } else if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf("}}", i);
                if (end < 0) {
                    error(pos, place + ": unclosed '{{' in SQL", "close it with '}}'");
                    break;
                }
                String inner = text.substring(i + 2, end).trim();
                if (!inner.startsWith("user_attributes.") || !IDENTIFIER.matcher(inner.substring(16)).matches()) {
                    error(pos, place + ": unknown template '{{ " + inner + " }}'", "only {{ user_attributes.NAME }} is allowed");
                } else {
                    String attribute = inner.substring(16);
                    attributeUse(attribute, pos, place, "sql_reference");
                    boolean list = endsWithInParen(literal) && startsWithCloseParen(text, end + 2);
                    flush(literal, parts);
                    parts.add(new SqlTemplate.Attribute(attribute, list));
                }
                i = end + 2;
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, parts);
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new SqlTemplate(text, parts));
    }

    private static void flush(StringBuilder literal, List<SqlTemplate.Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new SqlTemplate.Text(literal.toString()));
            literal.setLength(0);
        }
    }

    private static boolean endsWithInParen(StringBuilder literal) {
        String s = literal.toString().stripTrailing();
        if (!s.endsWith("(")) {
            return false;
        }
        s = s.substring(0, s.length() - 1).stripTrailing().toUpperCase(Locale.ROOT);
        return s.endsWith(" IN") || s.endsWith("\tIN") || s.endsWith("\nIN") || s.equals("IN");
    }

    private static boolean startsWithCloseParen(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == ')';
            }
        }
        return false;
    }

    private Optional<SqlTemplate.Part> reference(String ref, Pos pos, Scope scope, String place) {
        if (ref.equals("TABLE")) {
            if (!scope.allowTable()) {
                error(pos, place + ": ${TABLE} is not allowed here", "use ${view.field} references");
                return Optional.empty();
            }
            return Optional.of(new SqlTemplate.Table());
        }
        int dot = ref.indexOf('.');
        String view;
        String field;
        if (dot < 0) {
            if (scope.ownView().isEmpty()) {
                error(pos, place + ": reference ${" + ref + "} needs a view", "write ${view." + ref + "}");
                return Optional.empty();
            }
            view = scope.ownView().get();
            field = ref;
        } else {
            view = ref.substring(0, dot);
            field = ref.substring(dot + 1);
        }
        if (!IDENTIFIER.matcher(view).matches() || !IDENTIFIER.matcher(field).matches()) {
            error(pos, place + ": malformed reference ${" + ref + "}", "write ${field}, ${view.field} or ${TABLE}");
            return Optional.empty();
        }
        Map<String, FieldSymbol> viewSymbols = symbols.get(view);
        if (viewSymbols == null) {
            error(pos, place + ": reference ${" + ref + "} names unknown view '" + view + "'", didYouMean(view, symbols.keySet()));
            return Optional.empty();
        }
        if (scope.views().isPresent() && !scope.views().get().contains(view)) {
            error(pos, place + ": reference ${" + ref + "} names view '" + view + "', which is not joined here",
                    "join '" + view + "' (before this point) or reference a view the topic has");
            return Optional.empty();
        }
        if (scope.ownViewOnly() && !view.equals(scope.ownView().orElse(""))) {
            error(pos, place + ": reference ${" + ref + "} reaches another view", "an aggregate measure may only use its own view's dimensions; define the measure in view '" + view + "'");
            return Optional.empty();
        }
        FieldSymbol symbol = viewSymbols.get(field);
        if (symbol == null) {
            error(pos, place + ": reference ${" + ref + "} names unknown field '" + view + "." + field + "'",
                    didYouMean(field, viewSymbols.keySet()));
            return Optional.empty();
        }
        if (symbol.measure() && !scope.measures()) {
            error(pos, place + ": reference ${" + ref + "} is a measure", "only a measure of type number may reference measures");
            return Optional.empty();
        }
        if (!symbol.measure() && !scope.dimensions()) {
            error(pos, place + ": reference ${" + ref + "} is a dimension",
                    scope.measures() ? "a number measure combines measures; aggregate the dimension in a measure first"
                            : "a derived table's SQL cannot reference fields");
            return Optional.empty();
        }
        return Optional.of(new SqlTemplate.FieldReference(view, field));
    }

    private static Set<String> referencedFields(SqlTemplate t) {
        Set<String> out = new LinkedHashSet<>();
        for (SqlTemplate.Part p : t.parts()) {
            if (p instanceof SqlTemplate.FieldReference r) {
                out.add(r.qualifiedName());
            }
        }
        return out;
    }

    // ---- small readers ----

    private Node asMap(Node node, String what) {
        if (node instanceof MapNode) {
            return node;
        }
        error(node.pos(), what + " must be a mapping", "write 'key: value' entries, indented under it");
        return null;
    }

    private void checkKeys(MapNode map, Set<String> allowed, String where) {
        for (Entry e : map.entries().values()) {
            if (!allowed.contains(e.key())) {
                String hint = didYouMean(e.key(), allowed);
                error(e.keyPos(), "unknown key '" + e.key() + "' in " + where,
                        hint.isEmpty() ? "allowed keys: " + String.join(", ", new java.util.TreeSet<>(allowed)) : hint);
            }
        }
    }

    private Optional<String> requiredString(MapNode map, String key, String where) {
        if (!map.entries().containsKey(key)) {
            error(map.pos(), where + " has no '" + key + "'", "add '" + key + ":'");
            return Optional.empty();
        }
        Optional<String> value = optionalString(map, key, where);
        if (value.isPresent() && value.get().isBlank()) {
            error(map.entries().get(key).value().pos(), where + " has an empty '" + key + "'", "give '" + key + "' a value");
            return Optional.empty();
        }
        return value;
    }

    private Optional<String> optionalString(MapNode map, String key, String where) {
        Entry e = map.entries().get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (e.value() instanceof ScalarNode s && s.kind() != ScalarKind.NULL) {
            return Optional.of(s.text());
        }
        error(e.value().pos(), where + " '" + key + "' must be a single value", "write '" + key + ": value'");
        return Optional.empty();
    }

    private boolean optionalBoolean(MapNode map, String key, String where) {
        Entry e = map.entries().get(key);
        if (e == null) {
            return false;
        }
        if (e.value() instanceof ScalarNode s && s.kind() == ScalarKind.BOOLEAN) {
            return Boolean.parseBoolean(s.text());
        }
        error(e.value().pos(), where + " '" + key + "' must be true or false", "write '" + key + ": true'");
        return false;
    }

    private List<String> scalarList(Node node, String what) {
        List<String> out = new ArrayList<>();
        if (node instanceof ScalarNode s && s.kind() != ScalarKind.NULL) {
            out.add(s.text());
            return out;
        }
        if (!(node instanceof ListNode list)) {
            error(node.pos(), what + " must be a list of values", "write [a, b]");
            return out;
        }
        for (Node item : list.items()) {
            if (item instanceof ScalarNode s && s.kind() != ScalarKind.NULL) {
                out.add(s.text());
            } else {
                error(item.pos(), what + " must contain plain values", "write [a, b]");
            }
        }
        return out;
    }

    private List<String> grantList(MapNode map, String key) {
        Entry e = map.entries().get(key);
        if (e == null) {
            return List.of();
        }
        List<String> names = scalarList(e.value(), "'" + key + "'");
        for (String n : names) {
            if (!grants.containsKey(n)) {
                error(e.value().pos(), "'" + key + "' names unknown access grant '" + n + "'", didYouMean(n, grants.keySet()).isEmpty()
                        ? "define it under access_grants" : didYouMean(n, grants.keySet()));
            }
        }
        return names;
    }

    private void recordGrantUse(List<String> grantNames, String place) {
        for (String g : grantNames) {
            AccessGrant grant = grants.get(g);
            if (grant != null) {
                usages.add(new AttributeUsage(grant.userAttribute(), place, "access_grant"));
            }
        }
    }

    private void attributeUse(String attribute, Pos pos, String place, String how) {
        usages.add(new AttributeUsage(attribute, place, how));
        if (pos != null && knownAttributes.isPresent() && !knownAttributes.get().contains(attribute)) {
            String hint = didYouMean(attribute, knownAttributes.get());
            error(pos, place + " uses unknown user attribute '" + attribute + "'",
                    hint.isEmpty() ? "an org admin defines user attributes; create '" + attribute + "' first" : hint);
        }
    }

    private boolean identifier(String name, Pos pos, String what) {
        if (IDENTIFIER.matcher(name).matches()) {
            return true;
        }
        error(pos, "invalid " + what + " name '" + name + "'", "names are letters, digits and '_', not starting with a digit");
        return false;
    }

    private Set<String> allFieldNames() {
        Set<String> out = new LinkedHashSet<>();
        symbols.forEach((v, fs) -> fs.keySet().forEach(f -> out.add(v + "." + f)));
        return out;
    }

    private Set<String> dimensionNames(String view) {
        Set<String> out = new LinkedHashSet<>();
        symbols.getOrDefault(view, Map.of()).forEach((n, s) -> {
            if (!s.measure()) {
                out.add(n);
            }
        });
        return out;
    }

    static String didYouMean(String wrong, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(wrong, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= Math.max(2, wrong.length() / 3)) {
            return "did you mean '" + best + "'?";
        }
        return "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static String labelFor(String name) {
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                out.append(' ');
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private void error(Pos pos, String message, String hint) {
        problems.add(new ModelProblem(pos.line(), pos.column(), message, hint));
    }

    private void warn(Pos pos, String message, String hint) {
        warnings.add(new ModelProblem(pos.line(), pos.column(), message, hint));
    }

}
