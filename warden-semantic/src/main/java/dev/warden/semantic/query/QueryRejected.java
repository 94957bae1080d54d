package dev.warden.semantic.query;

import java.util.List;

/**
 * A query body that cannot be a query, with every problem found. The problems are safe to show
 * to the caller: they quote the caller's own input, shortened and with control characters escaped.
 */
public final class QueryRejected extends RuntimeException {
    private final List<String> problems;

    public QueryRejected(List<String> problems) {
        super(String.join("; ", problems), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a rejection has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
