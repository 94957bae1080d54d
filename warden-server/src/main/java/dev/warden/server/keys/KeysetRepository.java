package dev.warden.server.keys;

import dev.warden.crypto.KeyPurpose;
import dev.warden.crypto.WrappedKeyset;
import dev.warden.server.access.OrgId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Wrapped org keysets. The bytes are useless without the master key. */
@Repository
public class KeysetRepository {
    record Stored(WrappedKeyset keyset, int generation) {}

    private final JdbcClient jdbc;

    public KeysetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Stored> find(OrgId org, KeyPurpose purpose) {
        return jdbc.sql("SELECT wrapped, generation FROM org_keysets WHERE org_id = ? AND purpose = ?")
                .params(org.value(), purpose.name())
                .query((rs, n) -> new Stored(WrappedKeyset.fromBytes(rs.getBytes(1)), rs.getInt(2)))
                .optional();
    }

    Optional<Stored> findForUpdate(OrgId org, KeyPurpose purpose) {
        return jdbc.sql("SELECT wrapped, generation FROM org_keysets WHERE org_id = ? AND purpose = ? FOR UPDATE")
                .params(org.value(), purpose.name())
                .query((rs, n) -> new Stored(WrappedKeyset.fromBytes(rs.getBytes(1)), rs.getInt(2)))
                .optional();
    }

    void insert(OrgId org, KeyPurpose purpose, WrappedKeyset keyset, Instant now) {
        jdbc.sql("INSERT INTO org_keysets (org_id, purpose, wrapped, generation, updated_at) VALUES (?, ?, ?, 1, ?)")
                .params(org.value(), purpose.name(), keyset.toBytes(), OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .update();
    }

    void replace(OrgId org, KeyPurpose purpose, WrappedKeyset keyset, int generation, Instant now) {
        jdbc.sql("UPDATE org_keysets SET wrapped = ?, generation = ?, updated_at = ? WHERE org_id = ? AND purpose = ?")
                .params(keyset.toBytes(), generation, OffsetDateTime.ofInstant(now, ZoneOffset.UTC), org.value(),
                        purpose.name())
                .update();
    }

    List<OrgId> orgsWithKeysets() {
        return jdbc.sql("SELECT DISTINCT org_id FROM org_keysets")
                .query((rs, n) -> new OrgId(rs.getObject(1, UUID.class)))
                .list();
    }
}
