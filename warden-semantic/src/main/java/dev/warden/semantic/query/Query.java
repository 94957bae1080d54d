package dev.warden.semantic.query;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A person's query, as parsed from the body of {@code POST /api/v1/query}. {@code cache} and
 * {@code asUser} are read by the server, not by the compiler.
 */
public record Query(
        String topic,
        List<FieldRef> fields,
        List<Filter> filters,
        List<Sort> sorts,
        Optional<Integer> limit,
        Optional<ZoneId> timezone,
        Optional<Boolean> cache,
        Optional<String> asUser) {

    public Query {
        requireNonNull(topic, "topic is null");
        fields = List.copyOf(fields);
        filters = List.copyOf(filters);
        sorts = List.copyOf(sorts);
        requireNonNull(limit, "limit is null");
        requireNonNull(timezone, "timezone is null");
        requireNonNull(cache, "cache is null");
        requireNonNull(asUser, "asUser is null");
    }

    /** The same query with {@code zone} as its timezone when it names none (the org's default). */
    public Query withDefaultTimezone(ZoneId zone) {
        requireNonNull(zone, "zone is null");
        return timezone.isPresent() ? this : new Query(topic, fields, filters, sorts, limit, Optional.of(zone), cache, asUser);
    }
}
