package dev.warden.server.audit;

import dev.warden.server.access.OrgId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends events to an org's hash-chained audit log.
 *
 * <p>{@link #append} joins the caller's transaction, so an event is committed together with the
 * change it describes, or not at all. {@link #appendAlone} commits on its own: for denials and
 * failed sign-ins, whose request is about to fail and roll back.
 *
 * <p>Each append locks the org's chain head row ({@code SELECT ... FOR UPDATE}), so concurrent
 * writers of one org queue up and each links to the one before: the chain never forks. Writers
 * of different orgs never wait for each other.
 */
@Service
public final class AuditLog {
    private final AuditRepository repository;
    private final TransactionTemplate joinOrBegin;
    private final TransactionTemplate alone;
    private final Clock clock;
    private final JsonMapper canonicalJson = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    public AuditLog(AuditRepository repository, PlatformTransactionManager transactions, Clock clock) {
        this.repository = repository;
        this.joinOrBegin = new TransactionTemplate(transactions);
        this.alone = new TransactionTemplate(transactions);
        this.alone.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /** Appends within the caller's transaction (or a new one if there is none). */
    public AuditEvent append(OrgId org, AuditRecord record) {
        return joinOrBegin.execute(status -> link(org, record));
    }

    /** Appends and commits at once, whatever happens to the caller's transaction. */
    public AuditEvent appendAlone(OrgId org, AuditRecord record) {
        return alone.execute(status -> link(org, record));
    }

    private AuditEvent link(OrgId org, AuditRecord record) {
        AuditRepository.Head head = repository.lockHead(org);
        // Microsecond precision: what every supported store keeps, so the hash re-computes.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        AuditEvent unsealed = new AuditEvent(
                UUID.randomUUID(), org.value(), head.seq() + 1, now,
                record.actor().kind(), record.actor().id().orElse(null), record.actor().label(),
                record.action(), record.outcome().name(),
                record.targetType().orElse(null), record.targetId().orElse(null),
                record.requestId().orElse(null),
                canonicalJson.writeValueAsString(record.details()),
                head.hash(), "");
        AuditEvent sealed = withHash(unsealed, AuditChain.hash(unsealed));
        repository.insert(sealed);
        repository.moveHead(org, sealed.seq(), sealed.hash());
        return sealed;
    }

    private static AuditEvent withHash(AuditEvent e, String hash) {
        return new AuditEvent(e.id(), e.orgId(), e.seq(), e.occurredAt(), e.actorKind(), e.actorId(),
                e.actorLabel(), e.action(), e.outcome(), e.targetType(), e.targetId(), e.requestId(),
                e.details(), e.prevHash(), hash);
    }
}
