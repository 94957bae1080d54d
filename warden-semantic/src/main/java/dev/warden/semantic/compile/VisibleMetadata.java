package dev.warden.semantic.compile;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.warden.semantic.model.Dimension;
import dev.warden.semantic.model.Field;
import dev.warden.semantic.model.Measure;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.model.Timeframe;
import dev.warden.semantic.model.Topic;
import dev.warden.semantic.model.View;
import dev.warden.semantic.policy.Policy;

/**
 * What one person may query, for {@code GET /api/v1/topics}: exactly the topics, views and
 * fields the compiler accepts from them, computed by the same rules. Denied elements are absent.
 * Hidden fields are listed with {@code hidden = true} (they are queryable; pickers skip them).
 */
public record VisibleMetadata(List<VisibleTopic> topics) {

    public VisibleMetadata {
        topics = List.copyOf(topics);
    }

    public record VisibleTopic(String name, String label, Optional<String> description, boolean curated, String baseView,
            List<VisibleView> views) {
        public VisibleTopic {
            requireNonNull(name, "name is null");
            requireNonNull(label, "label is null");
            requireNonNull(description, "description is null");
            requireNonNull(baseView, "baseView is null");
            views = List.copyOf(views);
        }
    }

    public record VisibleView(String name, String label, Optional<String> description, boolean hidden, List<VisibleField> fields) {
        public VisibleView {
            requireNonNull(name, "name is null");
            requireNonNull(label, "label is null");
            requireNonNull(description, "description is null");
            fields = List.copyOf(fields);
        }
    }

    /**
     * A queryable field: {@code name} is {@code view.field}; {@code kind} is {@code dimension} or
     * {@code measure}; {@code type} is the dimension type, or {@code number} for measures; {@code timeframes} lists what may follow in brackets.
     */
    public record VisibleField(String name, String label, String kind, String type, Optional<String> description,
            List<String> timeframes, boolean hidden, Optional<String> format) {
        public VisibleField {
            requireNonNull(name, "name is null");
            requireNonNull(label, "label is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(type, "type is null");
            requireNonNull(description, "description is null");
            timeframes = List.copyOf(timeframes);
            requireNonNull(format, "format is null");
        }
    }

    /** The topics this person may query (none for roles below RESTRICTED_QUERIER). */
    public static VisibleMetadata of(SemanticModel model, Policy policy) {
        requireNonNull(model, "model is null");
        requireNonNull(policy, "policy is null");
        Access access = new Access(model, policy);
        List<VisibleTopic> topics = new ArrayList<>();
        for (Topic topic : model.topics().values()) {
            if (!access.topicQueryable(topic)) {
                continue;
            }
            List<VisibleView> views = new ArrayList<>();
            List<String> viewNames = new ArrayList<>();
            viewNames.add(topic.baseView());
            viewNames.addAll(topic.joins().keySet());
            for (String viewName : viewNames) {
                if (!access.viewVisible(viewName)) {
                    continue;
                }
                View view = model.views().get(viewName);
                List<VisibleField> fields = new ArrayList<>();
                for (Field f : view.dimensions().values()) {
                    add(access, topic, f, fields);
                }
                for (Field f : view.measures().values()) {
                    add(access, topic, f, fields);
                }
                if (!fields.isEmpty()) {
                    views.add(new VisibleView(viewName, view.label(), view.description(), view.hidden(), fields));
                }
            }
            topics.add(new VisibleTopic(topic.name(), topic.label(), topic.description(), topic.curated(), topic.baseView(), views));
        }
        return new VisibleMetadata(topics);
    }

    /** The topic, if this person may query it. */
    public Optional<VisibleTopic> topic(String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private static void add(Access access, Topic topic, Field f, List<VisibleField> out) {
        if (!access.fieldQueryable(topic, f)) {
            return;
        }
        switch (f) {
            case Dimension d -> {
                List<String> timeframes = new ArrayList<>();
                if (d.type().isTime()) {
                    for (Timeframe t : Timeframe.values()) {
                        if (d.allows(t)) {
                            timeframes.add(t.wireName());
                        }
                    }
                }
                out.add(new VisibleField(d.qualifiedName(), d.label(), "dimension", d.type().wireName(), d.description(),
                        timeframes, d.hidden(), Optional.empty()));
            }
            case Measure m -> out.add(new VisibleField(m.qualifiedName(), m.label(), "measure", "number", m.description(),
                    List.of(), m.hidden(), m.format()));
        }
    }
}
