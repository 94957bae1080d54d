package dev.warden.semantic.query;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.warden.semantic.model.Timeframe;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses the JSON body of {@code POST /api/v1/query} (API.md) into a {@link Query}, or throws
 * {@link QueryRejected} listing every problem. It checks shape only; whether names exist and
 * values fit the field's type is the compiler's business, since only it knows the model.
 */
public final class QueryParser {
    /** Field names are identifiers; nothing else can reach the compiler's name lookups. */
    private static final Pattern FIELD = Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,127})\\.([A-Za-z_][A-Za-z0-9_]{0,127})(?:\\[([a-z_]{1,16})\\])?");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Set<String> QUERY_KEYS = Set.of("topic", "fields", "filters", "sorts", "limit", "timezone", "cache", "as_user");
    private static final Set<String> FILTER_KEYS = Set.of("field", "op", "values");
    private static final Set<String> SORT_KEYS = Set.of("field", "direction");
    private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

    static final int MAX_FIELDS = 200;
    static final int MAX_FILTERS = 100;
    static final int MAX_SORTS = 20;
    static final int MAX_TEXT_VALUE = 65_536;
    static final int MAX_IN_LAST = 100_000;
    static final int MAX_BODY = 1_000_000;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private QueryParser() {}

    /** Parses a query body; throws {@link QueryRejected} with every problem found. */
    public static Query parse(String json) {
        requireNonNull(json, "json is null");
        if (json.length() > MAX_BODY) {
            throw new QueryRejected(List.of("the query body is larger than " + MAX_BODY + " characters"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            int nl = msg.indexOf('\n');
            throw new QueryRejected(List.of("malformed JSON" + (e.getLocation() == null ? "" : " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr())
                    + ": " + quoteless(nl > 0 ? msg.substring(0, nl) : msg)));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new QueryRejected(List.of("the query must be a JSON object"));
        }
        unknownKeys(root, QUERY_KEYS, "query", problems);

        String topic = "";
        JsonNode topicNode = root.get("topic");
        if (topicNode == null || !topicNode.isString()) {
            problems.add("'topic' is required and must be a string");
        } else if (!TOPIC.matcher(topicNode.stringValue()).matches()) {
            problems.add("'topic' " + quote(topicNode.stringValue()) + " is not a valid topic name");
        } else {
            topic = topicNode.stringValue();
        }

        List<FieldRef> fields = new ArrayList<>();
        JsonNode fieldsNode = root.get("fields");
        if (fieldsNode == null || !fieldsNode.isArray() || fieldsNode.isEmpty()) {
            problems.add("'fields' is required: a non-empty list of field names like \"orders.status\"");
        } else if (fieldsNode.size() > MAX_FIELDS) {
            problems.add("'fields' has " + fieldsNode.size() + " entries; at most " + MAX_FIELDS + " are allowed");
        } else {
            Set<String> seen = new HashSet<>();
            int i = 0;
            for (JsonNode f : fieldsNode.values()) {
                fieldRef(f, "fields[" + i + "]", problems).ifPresent(ref -> {
                    if (!seen.add(ref.toString())) {
                        problems.add("'fields' lists " + quote(ref.toString()) + " more than once");
                    } else {
                        fields.add(ref);
                    }
                });
                i++;
            }
        }

        List<Filter> filters = new ArrayList<>();
        JsonNode filtersNode = root.get("filters");
        if (filtersNode != null && !filtersNode.isNull()) {
            if (!filtersNode.isArray()) {
                problems.add("'filters' must be a list");
            } else if (filtersNode.size() > MAX_FILTERS) {
                problems.add("'filters' has " + filtersNode.size() + " entries; at most " + MAX_FILTERS + " are allowed");
            } else {
                int i = 0;
                for (JsonNode f : filtersNode.values()) {
                    filter(f, "filters[" + i + "]", problems).ifPresent(filters::add);
                    i++;
                }
            }
        }

        List<Sort> sorts = new ArrayList<>();
        JsonNode sortsNode = root.get("sorts");
        if (sortsNode != null && !sortsNode.isNull()) {
            if (!sortsNode.isArray()) {
                problems.add("'sorts' must be a list");
            } else if (sortsNode.size() > MAX_SORTS) {
                problems.add("'sorts' has " + sortsNode.size() + " entries; at most " + MAX_SORTS + " are allowed");
            } else {
                int i = 0;
                for (JsonNode s : sortsNode.values()) {
                    sort(s, "sorts[" + i + "]", problems).ifPresent(sorts::add);
                    i++;
                }
            }
        }

        Optional<Integer> limit = Optional.empty();
        JsonNode limitNode = root.get("limit");
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.isIntegralNumber() || limitNode.decimalValue().signum() <= 0
                    || limitNode.decimalValue().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                problems.add("'limit' must be a positive integer, got " + quote(limitNode.toString()));
            } else {
                limit = Optional.of(limitNode.decimalValue().intValueExact());
            }
        }

        Optional<ZoneId> timezone = Optional.empty();
        JsonNode tzNode = root.get("timezone");
        if (tzNode != null && !tzNode.isNull()) {
            if (!tzNode.isString() || !ZONES.contains(tzNode.stringValue())) {
                problems.add("'timezone' " + quote(tzNode.isString() ? tzNode.stringValue() : tzNode.toString())
                        + " is not a known IANA time zone (e.g. \"UTC\", \"Europe/Paris\")");
            } else {
                timezone = Optional.of(ZoneId.of(tzNode.stringValue()));
            }
        }

        Optional<Boolean> cache = Optional.empty();
        JsonNode cacheNode = root.get("cache");
        if (cacheNode != null && !cacheNode.isNull()) {
            if (!cacheNode.isBoolean()) {
                problems.add("'cache' must be true or false");
            } else {
                cache = Optional.of(cacheNode.booleanValue());
            }
        }

        Optional<String> asUser = Optional.empty();
        JsonNode asUserNode = root.get("as_user");
        if (asUserNode != null && !asUserNode.isNull()) {
            if (!asUserNode.isString() || asUserNode.stringValue().isBlank() || asUserNode.stringValue().length() > 320
                    || !clean(asUserNode.stringValue())) {
                problems.add("'as_user' must be a non-empty user identifier");
            } else {
                asUser = Optional.of(asUserNode.stringValue());
            }
        }

        if (!problems.isEmpty()) {
            throw new QueryRejected(problems);
        }
        return new Query(topic, fields, filters, sorts, limit, timezone, cache, asUser);
    }

    private static Optional<FieldRef> fieldRef(JsonNode node, String where, List<String> problems) {
        if (node == null || !node.isString()) {
            problems.add(where + " must be a field name string like \"orders.status\"");
            return Optional.empty();
        }
        String text = node.stringValue();
        Matcher m = FIELD.matcher(text);
        if (!m.matches()) {
            problems.add(where + " " + quote(text) + " is not a field reference (view.field or view.field[timeframe])");
            return Optional.empty();
        }
        Optional<Timeframe> timeframe = Optional.empty();
        if (m.group(3) != null) {
            timeframe = Timeframe.fromWire(m.group(3));
            if (timeframe.isEmpty()) {
                problems.add(where + " " + quote(text) + " has unknown timeframe " + quote(m.group(3))
                        + " (raw, hour, date, week, month, quarter, year)");
                return Optional.empty();
            }
        }
        return Optional.of(new FieldRef(m.group(1), m.group(2), timeframe));
    }

    private static Optional<Filter> filter(JsonNode node, String where, List<String> problems) {
        if (node == null || !node.isObject()) {
            problems.add(where + " must be an object with 'field', 'op' and 'values'");
            return Optional.empty();
        }
        int before = problems.size();
        unknownKeys(node, FILTER_KEYS, where, problems);
        Optional<FieldRef> field = fieldRef(node.get("field"), where + ".field", problems);
        JsonNode opNode = node.get("op");
        Optional<FilterOp> op = Optional.empty();
        if (opNode == null || !opNode.isString()) {
            problems.add(where + ".op is required: one of " + opNames());
        } else {
            op = FilterOp.fromWire(opNode.stringValue());
            if (op.isEmpty()) {
                problems.add(where + ".op " + quote(opNode.stringValue()) + " is not an operator: use one of " + opNames());
            }
        }
        List<FilterValue> values = new ArrayList<>();
        JsonNode valuesNode = node.get("values");
        if (valuesNode != null && !valuesNode.isNull() && !valuesNode.isArray()) {
            problems.add(where + ".values must be a list");
        } else if (valuesNode != null && valuesNode.isArray()) {
            int i = 0;
            for (JsonNode v : valuesNode.values()) {
                value(v, where + ".values[" + i + "]", problems).ifPresent(values::add);
                i++;
            }
        }
        if (op.isPresent() && problems.size() == before) {
            checkValues(op.get(), values, where, problems);
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Filter(field.orElseThrow(), op.orElseThrow(), values));
    }

    private static void checkValues(FilterOp op, List<FilterValue> values, String where, List<String> problems) {
        int n = values.size();
        if (n < op.minValues() || n > op.maxValues()) {
            String expected = op.minValues() == op.maxValues() ? String.valueOf(op.minValues())
                    : op.minValues() + " to " + op.maxValues();
            problems.add(where + ": op '" + op.wireName() + "' takes " + expected + " value" + (op.maxValues() == 1 ? "" : "s")
                    + ", got " + n);
            return;
        }
        switch (op) {
            case CONTAINS, STARTS_WITH, ENDS_WITH -> {
                if (!(values.get(0) instanceof FilterValue.Text)) {
                    problems.add(where + ": op '" + op.wireName() + "' takes a string value");
                }
            }
            case IN_LAST -> {
                if (!(values.get(0) instanceof FilterValue.Number count) || count.value().signum() <= 0
                        || count.value().stripTrailingZeros().scale() > 0 || count.value().compareTo(BigDecimal.valueOf(MAX_IN_LAST)) > 0) {
                    problems.add(where + ": op 'in_last' takes [count, unit] with count a positive integer up to " + MAX_IN_LAST);
                } else if (!(values.get(1) instanceof FilterValue.Text unit) || InLastUnit.fromWire(unit.value()).isEmpty()) {
                    problems.add(where + ": op 'in_last' takes [count, unit] with unit one of hour, day, week, month, quarter, year");
                }
            }
            case GT, GTE, LT, LTE, BETWEEN -> {
                for (FilterValue v : values) {
                    if (v instanceof FilterValue.Bool) {
                        problems.add(where + ": op '" + op.wireName() + "' does not compare booleans");
                        return;
                    }
                }
            }
            case EQ, NEQ, IN, NOT_IN, IS_NULL, IS_NOT_NULL -> {
                // Any scalar; its fit with the field's type is checked by the compiler.
            }
        }
    }

    private static Optional<FilterValue> value(JsonNode v, String where, List<String> problems) {
        if (v.isNull()) {
            problems.add(where + " is null: null is never equal to anything; use op 'is_null'");
        } else if (v.isString()) {
            String s = v.stringValue();
            if (s.length() > MAX_TEXT_VALUE) {
                problems.add(where + " is longer than " + MAX_TEXT_VALUE + " characters");
            } else if (!clean(s)) {
                problems.add(where + " contains a control character (such as NUL) or an unpaired surrogate");
            } else {
                return Optional.of(new FilterValue.Text(s));
            }
        } else if (v.isNumber()) {
            return Optional.of(new FilterValue.Number(v.decimalValue()));
        } else if (v.isBoolean()) {
            return Optional.of(new FilterValue.Bool(v.booleanValue()));
        } else {
            problems.add(where + " must be a string, number or boolean");
        }
        return Optional.empty();
    }

    private static Optional<Sort> sort(JsonNode node, String where, List<String> problems) {
        if (node == null || !node.isObject()) {
            problems.add(where + " must be an object with 'field' and optional 'direction'");
            return Optional.empty();
        }
        int before = problems.size();
        unknownKeys(node, SORT_KEYS, where, problems);
        Optional<FieldRef> field = fieldRef(node.get("field"), where + ".field", problems);
        SortDirection direction = SortDirection.ASC;
        JsonNode dir = node.get("direction");
        if (dir != null && !dir.isNull()) {
            if (dir.isString() && dir.stringValue().equals("asc")) {
                direction = SortDirection.ASC;
            } else if (dir.isString() && dir.stringValue().equals("desc")) {
                direction = SortDirection.DESC;
            } else {
                problems.add(where + ".direction " + quote(dir.isString() ? dir.stringValue() : dir.toString())
                        + " must be \"asc\" or \"desc\"");
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Sort(field.orElseThrow(), direction));
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String where, List<String> problems) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                problems.add("unknown key " + quote(e.getKey()) + " in " + where + " (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String opNames() {
        StringBuilder out = new StringBuilder();
        for (FilterOp op : FilterOp.values()) {
            out.append(out.isEmpty() ? "" : ", ").append(op.wireName());
        }
        return out.toString();
    }

    /** No C0 control characters except tab, newline and carriage return, no DEL, no unpaired surrogates. */
    static boolean clean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The caller's text, shortened and with control characters escaped, for error messages. */
    static String quote(String s) {
        String shown = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return "\"" + quoteless(shown) + "\"";
    }

    private static String quoteless(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1)))) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c)) {
                out.append(c).append(s.charAt(++i));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
