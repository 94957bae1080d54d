package dev.warden.semantic.compile;

import java.util.Set;

import dev.warden.semantic.model.Join;
import dev.warden.semantic.model.Relationship;
import dev.warden.semantic.model.Topic;

/**
 * The topic's joins as a tree under the base view, to tell which views a set of joins fans out.
 * A join multiplies the rows of the views in its subtree when it is many_to_one (each joined row
 * meets many parent rows), and of every other view when it is one_to_many.
 */
final class JoinGraph {
    private final Topic topic;

    JoinGraph(Topic topic) {
        this.topic = topic;
    }

    /** Whether joining {@code includedViews} repeats rows of {@code view}. */
    boolean fansOut(String view, Set<String> includedViews) {
        for (Join j : topic.joins().values()) {
            if (!includedViews.contains(j.view())) {
                continue;
            }
            boolean below = isUnder(view, j.view());
            if (below ? j.relationship() == Relationship.MANY_TO_ONE : j.relationship() == Relationship.ONE_TO_MANY) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code view} is {@code ancestor} or hangs below it. */
    private boolean isUnder(String view, String ancestor) {
        String current = view;
        while (true) {
            if (current.equals(ancestor)) {
                return true;
            }
            Join j = topic.joins().get(current);
            if (j == null) {
                return false;
            }
            current = j.parent();
        }
    }
}
