package dev.warden.server.audit;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing worth remembering, before it is placed in an org's chain. {@code details} holds
 * before/after values and the like; callers must never put a secret or a query result in it.
 */
public record AuditRecord(
        AuditActor actor,
        String action,
        Outcome outcome,
        Optional<String> targetType,
        Optional<String> targetId,
        Optional<String> requestId,
        Map<String, Object> details) {

    public enum Outcome { SUCCESS, DENIED, FAILURE }

    public AuditRecord {
        Objects.requireNonNull(actor, "actor is null");
        Objects.requireNonNull(action, "action is null");
        Objects.requireNonNull(outcome, "outcome is null");
        Objects.requireNonNull(targetType, "targetType is null");
        Objects.requireNonNull(targetId, "targetId is null");
        Objects.requireNonNull(requestId, "requestId is null");
        // Values may be null ("no expiry"), which Map.copyOf refuses.
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    public static Builder of(AuditActor actor, String action) {
        return new Builder(actor, action);
    }

    /** Fluent construction, since most events set only a few fields. */
    public static final class Builder {
        private final AuditActor actor;
        private final String action;
        private Outcome outcome = Outcome.SUCCESS;
        private String targetType;
        private String targetId;
        private String requestId;
        private Map<String, Object> details = Map.of();

        private Builder(AuditActor actor, String action) {
            this.actor = actor;
            this.action = action;
        }

        public Builder outcome(Outcome value) {
            this.outcome = value;
            return this;
        }

        public Builder target(String type, Object id) {
            this.targetType = type;
            this.targetId = id == null ? null : id.toString();
            return this;
        }

        public Builder requestId(String value) {
            this.requestId = value;
            return this;
        }

        public Builder details(Map<String, Object> value) {
            this.details = value;
            return this;
        }

        public AuditRecord build() {
            return new AuditRecord(actor, action, outcome, Optional.ofNullable(targetType),
                    Optional.ofNullable(targetId), Optional.ofNullable(requestId), details);
        }
    }
}
