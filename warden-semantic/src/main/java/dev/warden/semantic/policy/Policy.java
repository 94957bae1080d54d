package dev.warden.semantic.policy;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the compiler may know about the person: their user attribute values, each
 * attribute's org-wide default, and their role on the connection. The caller builds it from
 * its access context; the compiler looks nothing up by itself.
 *
 * <p>An attribute that is absent, or present with an empty list, has no value for this person;
 * then the attribute's default applies (when it has a non-empty one). Values are compared
 * exactly: no trimming, no case folding.
 */
public record Policy(Map<String, List<String>> attributeValues, Map<String, List<String>> attributeDefaults, ConnectionRole role) {

    public Policy {
        attributeValues = copy(attributeValues, "attributeValues");
        attributeDefaults = copy(attributeDefaults, "attributeDefaults");
        requireNonNull(role, "role is null");
    }

    /** The values that govern this person for {@code attribute}: their own, else the default, else none. */
    public Optional<List<String>> effectiveValues(String attribute) {
        List<String> own = attributeValues.get(attribute);
        if (own != null && !own.isEmpty()) {
            return Optional.of(own);
        }
        List<String> fallback = attributeDefaults.get(attribute);
        if (fallback != null && !fallback.isEmpty()) {
            return Optional.of(fallback);
        }
        return Optional.empty();
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> map, String what) {
        requireNonNull(map, what + " is null");
        Map<String, List<String>> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(requireNonNull(k, what + " key is null"), List.copyOf(requireNonNull(v, what + " value is null"))));
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        // Attribute values can be personal data: keep them out of logs.
        return "Policy[attributes=" + attributeValues.keySet() + ", role=" + role + "]";
    }
}
