package dev.warden.semantic.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A validated, immutable semantic model. Built only by {@link ModelLoader}. */
public final class SemanticModel {
    private final String connection;
    private final Map<String, AccessGrant> accessGrants;
    private final Map<String, View> views;
    private final Map<String, Topic> topics;
    private final List<AttributeUsage> attributeUsages;

    SemanticModel(String connection, Map<String, AccessGrant> accessGrants, Map<String, View> views,
            Map<String, Topic> topics, List<AttributeUsage> attributeUsages) {
        this.connection = requireNonNull(connection, "connection is null");
        this.accessGrants = Collections.unmodifiableMap(new LinkedHashMap<>(accessGrants));
        this.views = Collections.unmodifiableMap(new LinkedHashMap<>(views));
        this.topics = Collections.unmodifiableMap(new LinkedHashMap<>(topics));
        this.attributeUsages = List.copyOf(attributeUsages);
    }

    public String connection() {
        return connection;
    }

    public Map<String, AccessGrant> accessGrants() {
        return accessGrants;
    }

    public Map<String, View> views() {
        return views;
    }

    public Map<String, Topic> topics() {
        return topics;
    }

    public Optional<View> view(String name) {
        return Optional.ofNullable(views.get(name));
    }

    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    /** The field {@code view.field}, if both exist. */
    public Optional<Field> field(String view, String field) {
        View v = views.get(view);
        return v == null ? Optional.empty() : v.field(field);
    }

    /**
     * Every use of a user attribute (grants, access filters, {@code {{ user_attributes.X }}}
     * references), so that the server can refuse to delete an attribute the active model needs.
     */
    public List<AttributeUsage> attributeUsages() {
        return attributeUsages;
    }

    /** The names of the user attributes this model uses, sorted. */
    public Set<String> usedAttributes() {
        Set<String> names = new TreeSet<>();
        for (AttributeUsage u : attributeUsages) {
            names.add(u.attribute());
        }
        return Collections.unmodifiableSet(names);
    }

    /** The uses of one attribute (empty when the model does not use it). */
    public List<AttributeUsage> usagesOf(String attribute) {
        List<AttributeUsage> out = new ArrayList<>();
        for (AttributeUsage u : attributeUsages) {
            if (u.attribute().equals(attribute)) {
                out.add(u);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "SemanticModel[connection=" + connection + ", views=" + views.size() + ", topics=" + topics.size() + "]";
    }
}
