package dev.warden.semantic.compile;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.warden.semantic.model.AccessGrant;
import dev.warden.semantic.model.Dimension;
import dev.warden.semantic.model.Field;
import dev.warden.semantic.model.Measure;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.model.SqlTemplate;
import dev.warden.semantic.model.Topic;
import dev.warden.semantic.model.View;
import dev.warden.semantic.policy.Policy;

/**
 * What one person may see of one model: the single source of truth for both the compiler and
 * {@link VisibleMetadata}, so that what is listed is exactly what can be queried. Deny by default:
 * a grant whose attribute the person lacks fails.
 */
final class Access {
    private final SemanticModel model;
    private final Policy policy;
    private final Map<String, Boolean> grantResults = new HashMap<>();
    /** Per topic, per field object: fields are compared by identity, which is cheap and exact within one model. */
    private final Map<Topic, Map<Field, Boolean>> fieldResults = new IdentityHashMap<>();

    Access(SemanticModel model, Policy policy) {
        this.model = model;
        this.policy = policy;
    }

    /** Whether the person's role and the topic's and base view's grants let them query the topic. */
    boolean topicQueryable(Topic topic) {
        if (!policy.role().mayQuery() || (!topic.curated() && !policy.role().mayQueryUncurated())) {
            return false;
        }
        return grantsPass(topic.requiredAccessGrants()) && viewVisible(topic.baseView());
    }

    boolean viewVisible(String view) {
        View v = model.views().get(view);
        return v != null && grantsPass(v.requiredAccessGrants());
    }

    /** Whether the field may be named in a query of the topic (selected, filtered or sorted). */
    boolean fieldQueryable(Topic topic, Field field) {
        return topic.reaches(field.view()) && (topic.fields().isEmpty() || topic.exposes(field.qualifiedName()))
                && fieldVisible(topic, field);
    }

    /**
     * A field is visible when its own and its view's grants pass and every field its SQL or
     * filters reference (transitively) is visible and reachable in the topic.
     */
    private boolean fieldVisible(Topic topic, Field field) {
        Map<Field, Boolean> results = fieldResults.computeIfAbsent(topic, t -> new IdentityHashMap<>());
        Boolean known = results.get(field);
        if (known != null) {
            return known;
        }
        boolean visible = topic.reaches(field.view()) && viewVisible(field.view()) && grantsPass(field.requiredAccessGrants())
                && referencesVisible(topic, field);
        results.put(field, visible);
        return visible;
    }

    private boolean referencesVisible(Topic topic, Field field) {
        Optional<SqlTemplate> sql = switch (field) {
            case Dimension d -> Optional.of(d.sql());
            case Measure m -> m.sql();
        };
        if (sql.isPresent()) {
            for (SqlTemplate.Part p : sql.get().parts()) {
                if (p instanceof SqlTemplate.FieldReference r) {
                    Optional<Field> target = model.field(r.view(), r.field());
                    if (target.isEmpty() || !fieldVisible(topic, target.get())) {
                        return false;
                    }
                }
            }
        }
        if (field instanceof Measure m) {
            for (Measure.MeasureFilter f : m.filters()) {
                Optional<Field> target = model.field(m.view(), f.dimension());
                if (target.isEmpty() || !fieldVisible(topic, target.get())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Why a field may not be named in a query of the topic, or empty when it may. For explaining
     * decisions to modelers and admins; the compiler itself only needs {@link #fieldQueryable}.
     */
    Optional<String> fieldDenial(Topic topic, Field field) {
        if (!topic.reaches(field.view())) {
            return Optional.of("its view " + field.view() + " is not part of this topic");
        }
        if (!topic.fields().isEmpty() && !topic.exposes(field.qualifiedName())) {
            return Optional.of("the topic's fields allow-list does not include it");
        }
        View view = model.views().get(field.view());
        if (view == null || !grantsPass(view.requiredAccessGrants())) {
            return Optional.of("its view " + field.view() + " requires grants that fail: " + failing(view == null
                    ? List.of() : view.requiredAccessGrants()));
        }
        if (!grantsPass(field.requiredAccessGrants())) {
            return Optional.of("it requires grants that fail: " + failing(field.requiredAccessGrants()));
        }
        if (!fieldVisible(topic, field)) {
            return Optional.of("it references a field that is denied or not part of this topic");
        }
        return Optional.empty();
    }

    private List<String> failing(List<String> grantNames) {
        return grantNames.stream().filter(g -> !grantsPass(List.of(g))).toList();
    }

    /** Every listed grant passes (an empty list passes). */
    boolean grantsPass(List<String> grantNames) {
        for (String name : grantNames) {
            Boolean known = grantResults.get(name);
            if (known == null) {
                known = grantPasses(model.accessGrants().get(name));
                grantResults.put(name, known);
            }
            if (!known) {
                return false;
            }
        }
        return true;
    }

    boolean grantPasses(String name) {
        return grantsPass(List.of(name));
    }

    private boolean grantPasses(AccessGrant grant) {
        if (grant == null) {
            return false;
        }
        Optional<List<String>> values = policy.effectiveValues(grant.userAttribute());
        if (values.isEmpty()) {
            return false;
        }
        for (String v : values.get()) {
            if (grant.allowedValues().contains(v)) {
                return true;
            }
        }
        return false;
    }
}
