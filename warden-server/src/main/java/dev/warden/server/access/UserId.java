package dev.warden.server.access;

import java.util.Objects;
import java.util.UUID;

/** The id of a person within one organization. Random, never sequential. */
public record UserId(UUID value) {
    public UserId {
        Objects.requireNonNull(value, "value is null");
    }

    public static UserId random() {
        return new UserId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
