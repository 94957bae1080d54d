package dev.warden.server.models;

import dev.warden.server.access.OrgId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A model as stored: its connection, its name and which version (if any) is active. */
public record ModelRecord(UUID id, OrgId orgId, UUID connectionId, String name, Optional<Integer> activeVersion,
                          int cacheTtlSeconds, Instant createdAt, Instant updatedAt) {}
