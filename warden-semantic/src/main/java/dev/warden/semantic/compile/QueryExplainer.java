package dev.warden.semantic.compile;

import static java.util.Objects.requireNonNull;

import dev.warden.semantic.model.AccessFilter;
import dev.warden.semantic.model.AccessGrant;
import dev.warden.semantic.model.Field;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.model.SqlTemplate;
import dev.warden.semantic.model.Topic;
import dev.warden.semantic.policy.Policy;
import dev.warden.semantic.query.FieldRef;
import dev.warden.semantic.query.Filter;
import dev.warden.semantic.query.Query;
import dev.warden.semantic.query.Sort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Says why a query compiles or not for one person, by the same rules as the compiler: which
 * grants pass or fail and why, which fields are denied and why, which access filters and
 * {@code always_where} clauses apply. It never shows the person's attribute values, only whether
 * they have a value and whether it is among a grant's allowed values: an admin explaining another
 * person's access learns the decision, not that person's data.
 */
public final class QueryExplainer {
    private QueryExplainer() {}

    public record Explanation(String topic, boolean topicQueryable, List<String> topicReasons, List<GrantCheck> grants,
                              List<FieldCheck> fields, List<FilterCheck> accessFilters, Optional<String> alwaysWhere,
                              boolean compiles, Optional<String> refusal) {
        public Explanation {
            topicReasons = List.copyOf(topicReasons);
            grants = List.copyOf(grants);
            fields = List.copyOf(fields);
            accessFilters = List.copyOf(accessFilters);
            requireNonNull(alwaysWhere, "alwaysWhere is null");
            requireNonNull(refusal, "refusal is null");
        }
    }

    /** One grant: {@code reason} is "no value", "no value among allowed_values" or "a value is among allowed_values". */
    public record GrantCheck(String grant, String userAttribute, List<String> allowedValues, boolean passed, String reason) {}

    public record FieldCheck(String field, boolean queryable, String reason) {}

    /** {@code effect}: "applied", "lifted by values_for_unfiltered", or "refuses the query: no value". */
    public record FilterCheck(String field, String userAttribute, String effect) {}

    public static Explanation explain(SemanticModel model, Query query, Policy policy) {
        requireNonNull(model, "model is null");
        requireNonNull(query, "query is null");
        requireNonNull(policy, "policy is null");
        Access access = new Access(model, policy);
        List<GrantCheck> grants = new ArrayList<>();
        for (AccessGrant g : model.accessGrants().values()) {
            Optional<List<String>> values = policy.effectiveValues(g.userAttribute());
            boolean passed = access.grantPasses(g.name());
            String reason = values.isEmpty() ? "no value" : passed ? "a value is among allowed_values"
                    : "no value among allowed_values";
            grants.add(new GrantCheck(g.name(), g.userAttribute(), g.allowedValues(), passed, reason));
        }
        Optional<Topic> found = model.topic(query.topic());
        if (found.isEmpty()) {
            return new Explanation(query.topic(), false, List.of("no topic of that name in the active model"), grants,
                    List.of(), List.of(), Optional.empty(), false, Optional.of("Unknown topic \"" + query.topic() + "\"."));
        }
        Topic topic = found.get();
        List<String> topicReasons = new ArrayList<>();
        if (!policy.role().mayQuery()) {
            topicReasons.add("the role " + policy.role() + " cannot run queries");
        } else if (!topic.curated() && !policy.role().mayQueryUncurated()) {
            topicReasons.add("the topic is not curated and the role " + policy.role() + " may query curated topics only");
        }
        for (String g : topic.requiredAccessGrants()) {
            if (!access.grantPasses(g)) {
                topicReasons.add("the topic requires grant " + g + ", which fails");
            }
        }
        if (!access.viewVisible(topic.baseView())) {
            topicReasons.add("the base view " + topic.baseView() + " requires a grant that fails");
        }
        boolean topicQueryable = access.topicQueryable(topic);

        Set<String> named = new LinkedHashSet<>();
        query.fields().forEach(f -> named.add(base(f)));
        query.filters().stream().map(Filter::field).forEach(f -> named.add(base(f)));
        query.sorts().stream().map(Sort::field).forEach(f -> named.add(base(f)));
        List<FieldCheck> fields = new ArrayList<>();
        for (String name : named) {
            int dot = name.indexOf('.');
            Optional<Field> field = dot < 0 ? Optional.empty() : model.field(name.substring(0, dot), name.substring(dot + 1));
            if (field.isEmpty()) {
                fields.add(new FieldCheck(name, false, "not defined in the model"));
                continue;
            }
            Optional<String> denial = access.fieldDenial(topic, field.get());
            fields.add(new FieldCheck(name, denial.isEmpty(), denial.orElse("queryable")));
        }

        List<FilterCheck> filters = new ArrayList<>();
        for (AccessFilter f : topic.accessFilters()) {
            Optional<List<String>> values = policy.effectiveValues(f.userAttribute());
            String effect = values.isEmpty() ? "refuses the query: no value"
                    : values.get().stream().anyMatch(f.valuesForUnfiltered()::contains) ? "lifted by values_for_unfiltered"
                    : "applied";
            filters.add(new FilterCheck(f.qualifiedField(), f.userAttribute(), effect));
        }
        // The clause as the modeler wrote it: model text, never a person's value.
        Optional<String> alwaysWhere = topic.alwaysWhere().map(SqlTemplate::source);
        Compilation compiled = QueryCompiler.compile(model, query, policy, dev.warden.semantic.sql.Dialect.POSTGRESQL,
                Integer.MAX_VALUE);
        Optional<String> refusal = compiled instanceof Compilation.Refused r ? Optional.of(r.publicMessage()) : Optional.empty();
        return new Explanation(topic.name(), topicQueryable, topicReasons, grants, fields, filters, alwaysWhere,
                refusal.isEmpty(), refusal);
    }

    private static String base(FieldRef ref) {
        String text = ref.toString();
        int bracket = text.indexOf('[');
        return bracket < 0 ? text : text.substring(0, bracket);
    }

}
