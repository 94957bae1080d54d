package dev.warden.server.audit;

import dev.warden.server.access.OrgId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/** Reading an org's audit chain: listing with filters, verifying the chain, exporting it. */
@Service
public final class AuditTrail {
    private static final int PAGE = 1_000;

    private final AuditRepository repository;

    public AuditTrail(AuditRepository repository) {
        this.repository = repository;
    }

    public List<AuditEvent> find(OrgId org, AuditRepository.Filter filter, int limit) {
        return repository.find(org, filter, limit);
    }

    /** Every event of the org, oldest first, page by page so memory stays flat. */
    public void forEach(OrgId org, Consumer<AuditEvent> sink) {
        long after = 0;
        while (true) {
            List<AuditEvent> page = repository.page(org, after, PAGE);
            page.forEach(sink);
            if (page.size() < PAGE) {
                return;
            }
            after = page.getLast().seq();
        }
    }

    /** The outcome of recomputing a chain: valid, or the first link that does not hold. */
    public record Verification(boolean valid, long eventsChecked, Optional<BrokenLink> firstBroken) {}

    public record BrokenLink(long seq, String eventId, String reason) {}

    public Verification verify(OrgId org) {
        long expectedSeq = 1;
        String expectedPrev = AuditChain.GENESIS;
        long checked = 0;
        long after = 0;
        while (true) {
            List<AuditEvent> page = repository.page(org, after, PAGE);
            for (AuditEvent e : page) {
                Optional<String> problem = check(e, expectedSeq, expectedPrev);
                if (problem.isPresent()) {
                    return new Verification(false, checked,
                            Optional.of(new BrokenLink(e.seq(), e.id().toString(), problem.get())));
                }
                checked++;
                expectedSeq = e.seq() + 1;
                expectedPrev = e.hash();
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.getLast().seq();
        }
        // The head must point at the last event: otherwise events were removed from the end.
        Optional<AuditRepository.Head> head = repository.head(org);
        if (head.isPresent() && (head.get().seq() != expectedSeq - 1 || !head.get().hash().equals(expectedPrev))) {
            return new Verification(false, checked, Optional.of(new BrokenLink(head.get().seq(), "",
                    "the chain ends at event " + (expectedSeq - 1) + " but its head says " + head.get().seq())));
        }
        return new Verification(true, checked, Optional.empty());
    }

    private static Optional<String> check(AuditEvent e, long expectedSeq, String expectedPrev) {
        if (e.seq() != expectedSeq) {
            return Optional.of("expected event " + expectedSeq + " here: events are missing before this one");
        }
        if (!e.prevHash().equals(expectedPrev)) {
            return Optional.of("does not link to the event before it");
        }
        if (!AuditChain.hash(e).equals(e.hash())) {
            return Optional.of("its content does not match its hash: the row was changed");
        }
        return Optional.empty();
    }
}
