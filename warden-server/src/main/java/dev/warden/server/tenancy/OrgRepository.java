package dev.warden.server.tenancy;

import dev.warden.server.access.OrgId;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Orgs are the one table that is not tenant-scoped: it is the list of tenants. */
@Repository
public class OrgRepository {
    private final JdbcClient jdbc;

    public OrgRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Org org) {
        jdbc.sql("INSERT INTO orgs (id, slug, name, row_limit, timezone, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(org.id().value(), org.slug(), org.name(), org.rowLimit(), org.timezone().orElse(null),
                        OffsetDateTime.ofInstant(org.createdAt(), ZoneOffset.UTC))
                .update();
    }

    public Optional<Org> findById(OrgId id) {
        return jdbc.sql("SELECT id, slug, name, row_limit, timezone, created_at FROM orgs WHERE id = ?")
                .param(id.value())
                .query((rs, n) -> map(rs))
                .optional();
    }

    /** The org and its access generation, in one statement: what a query reads about its org. */
    public Optional<Tenants.OrgNow> findWithGeneration(OrgId id) {
        return jdbc.sql("SELECT id, slug, name, row_limit, timezone, created_at, access_generation FROM orgs WHERE id = ?")
                .param(id.value())
                .query((rs, n) -> new Tenants.OrgNow(map(rs), rs.getLong("access_generation")))
                .optional();
    }

    public Optional<Org> findBySlug(String slug) {
        return jdbc.sql("SELECT id, slug, name, row_limit, timezone, created_at FROM orgs WHERE slug = ?")
                .param(slug)
                .query((rs, n) -> map(rs))
                .optional();
    }

    private static Org map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Org(new OrgId(rs.getObject("id", UUID.class)), rs.getString("slug"), rs.getString("name"),
                rs.getInt("row_limit"), Optional.ofNullable(rs.getString("timezone")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
