package dev.warden.server.access;

import java.util.Objects;
import java.util.UUID;

/** The id of an organization (tenant). Random, never sequential. */
public record OrgId(UUID value) {
    public OrgId {
        Objects.requireNonNull(value, "value is null");
    }

    public static OrgId random() {
        return new OrgId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
