package dev.warden.server.tenancy;

import dev.warden.server.access.OrgId;
import java.time.Instant;
import java.util.Optional;

/** An organization: one tenant, isolated from every other. */
public record Org(OrgId id, String slug, String name, int rowLimit, Optional<String> timezone, Instant createdAt) {}
