package dev.warden.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.OrgRole;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log is one unbroken hash chain per org, whatever the concurrency, and any change to
 * a stored row (edit, deletion in the middle or at the end) is caught by {@code /verify}, which
 * names the first link that does not hold. Listing, paging and export read it faithfully, and
 * only org admins may read it at all.
 */
class AuditChainTest extends ApiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GENESIS = "0".repeat(64);

    @Autowired
    AuditLog auditLog;

    @Autowired
    AuditRepository repository;

    @Autowired
    JdbcClient jdbc;

    // ---------------------------------------------------------------- concurrency

    @Test
    void eightConcurrentWritersLeaveOneUnbrokenChain() throws Exception {
        Fixtures.TestOrg org = fixtures.org();
        long before = eventCount(org.id());

        runConcurrently(List.of(org.id()), 8, 200);

        JsonNode verification = verify(org.admin().key());
        assertThat(verification.path("valid").asBoolean()).isTrue();
        assertThat(verification.path("events_checked").asLong()).isEqualTo(before + 1600).isGreaterThanOrEqualTo(1600);
        assertThat(verification.path("first_broken").isNull() || verification.path("first_broken").isMissingNode())
                .as("a valid chain names no broken link").isTrue();

        List<JsonNode> events = export(org.admin().key());
        assertThat(events).hasSize((int) (before + 1600));
        assertContiguousChain(events);
        // Every write of every writer is there exactly once.
        Set<String> writes = new HashSet<>();
        for (JsonNode e : events) {
            if (e.path("action").asString().equals("test.write")) {
                writes.add(e.path("details").path("writer").asInt() + "/" + e.path("details").path("n").asInt());
            }
        }
        assertThat(writes).hasSize(1600);
    }

    @Test
    void writersOfTwoOrgsAtOnceDoNotInterfere() throws Exception {
        Fixtures.TestOrg a = fixtures.org();
        Fixtures.TestOrg b = fixtures.org();
        long beforeA = eventCount(a.id());
        long beforeB = eventCount(b.id());

        runConcurrently(List.of(a.id(), b.id()), 4, 100);

        for (Fixtures.TestOrg org : List.of(a, b)) {
            JsonNode verification = verify(org.admin().key());
            assertThat(verification.path("valid").asBoolean()).isTrue();
            List<JsonNode> events = export(org.admin().key());
            assertContiguousChain(events);
            long writes = events.stream().filter(e -> e.path("action").asString().equals("test.write")).count();
            assertThat(writes).isEqualTo(400);
            // Each org's chain holds only its own writers' events.
            assertThat(events.stream().filter(e -> e.path("action").asString().equals("test.write"))
                    .map(e -> e.path("details").path("org").asString()))
                    .containsOnly(org.id().toString());
        }
        assertThat(eventCount(a.id())).isEqualTo(beforeA + 400);
        assertThat(eventCount(b.id())).isEqualTo(beforeB + 400);
    }

    // ---------------------------------------------------------------- tampering

    @Test
    void editingTheDetailsOfOneStoredRowIsCaughtAndNamed() {
        Fixtures.TestOrg org = orgWithEvents(12);
        UUID tampered = eventId(org.id(), 7);
        assertThat(verify(org.admin().key()).path("valid").asBoolean()).isTrue();

        int changed = jdbc.sql("UPDATE audit_events SET details = ? WHERE org_id = ? AND seq = ?")
                .params("{\"n\":999}", org.id().value(), 7L).update();
        assertThat(changed).isEqualTo(1);

        JsonNode verification = verify(org.admin().key());
        assertThat(verification.path("valid").asBoolean()).isFalse();
        assertThat(verification.path("first_broken").path("seq").asLong()).isEqualTo(7);
        assertThat(verification.path("first_broken").path("event_id").asString()).isEqualTo(tampered.toString());
        assertThat(verification.path("events_checked").asLong()).isEqualTo(6);
    }

    @Test
    void editingTheActorOfOneStoredRowIsCaughtAndNamed() {
        Fixtures.TestOrg org = orgWithEvents(12);
        UUID tampered = eventId(org.id(), 9);

        jdbc.sql("UPDATE audit_events SET actor_label = ? WHERE org_id = ? AND seq = ?")
                .params("someone else", org.id().value(), 9L).update();

        JsonNode verification = verify(org.admin().key());
        assertThat(verification.path("valid").asBoolean()).isFalse();
        assertThat(verification.path("first_broken").path("seq").asLong()).isEqualTo(9);
        assertThat(verification.path("first_broken").path("event_id").asString()).isEqualTo(tampered.toString());
    }

    @Test
    void rewritingARowTogetherWithItsOwnHashIsCaughtAtTheNextLink() {
        // Someone who changes a row and recomputes its hash still breaks the link to the next row.
        Fixtures.TestOrg org = orgWithEvents(10);
        AuditEvent original = repository.page(org.id(), 4, 1).getFirst();
        assertThat(original.seq()).isEqualTo(5);
        AuditEvent forged = new AuditEvent(original.id(), original.orgId(), original.seq(), original.occurredAt(),
                original.actorKind(), original.actorId(), "an innocent bystander", original.action(),
                original.outcome(), original.targetType(), original.targetId(), original.requestId(),
                original.details(), original.prevHash(), "");
        String forgedHash = AuditChain.hash(forged);
        jdbc.sql("UPDATE audit_events SET actor_label = ?, hash = ? WHERE org_id = ? AND seq = ?")
                .params(forged.actorLabel(), forgedHash, org.id().value(), 5L).update();
        UUID next = eventId(org.id(), 6);

        JsonNode verification = verify(org.admin().key());
        assertThat(verification.path("valid").asBoolean()).isFalse();
        assertThat(verification.path("first_broken").path("seq").asLong()).isEqualTo(6);
        assertThat(verification.path("first_broken").path("event_id").asString()).isEqualTo(next.toString());
        assertThat(verification.path("events_checked").asLong()).isEqualTo(5);
    }

    @Test
    void deletingARowInTheMiddleIsCaught() {
        Fixtures.TestOrg org = orgWithEvents(12);
        UUID after = eventId(org.id(), 6);
        assertThat(jdbc.sql("DELETE FROM audit_events WHERE org_id = ? AND seq = ?")
                .params(org.id().value(), 5L).update()).isEqualTo(1);

        JsonNode verification = verify(org.admin().key());
        assertThat(verification.path("valid").asBoolean()).isFalse();
        // The first link that does not hold is the one right after the gap.
        assertThat(verification.path("first_broken").path("seq").asLong()).isEqualTo(6);
        assertThat(verification.path("first_broken").path("event_id").asString()).isEqualTo(after.toString());
        assertThat(verification.path("events_checked").asLong()).isEqualTo(4);
    }

    @Test
    void deletingTheLastRowIsCaughtByTheHead() {
        Fixtures.TestOrg org = orgWithEvents(8);
        long last = eventCount(org.id());
        assertThat(jdbc.sql("DELETE FROM audit_events WHERE org_id = ? AND seq = ?")
                .params(org.id().value(), last).update()).isEqualTo(1);

        JsonNode verification = verify(org.admin().key());
        assertThat(verification.path("valid").asBoolean()).isFalse();
        assertThat(verification.path("events_checked").asLong()).isEqualTo(last - 1);
        assertThat(verification.path("first_broken").path("seq").asLong()).isEqualTo(last);
        assertThat(verification.path("first_broken").path("reason").asString()).contains("head");
    }

    @Test
    void tamperingInOneOrgLeavesAnotherOrgsChainValid() {
        Fixtures.TestOrg tampered = orgWithEvents(5);
        Fixtures.TestOrg other = orgWithEvents(5);
        jdbc.sql("UPDATE audit_events SET action = ? WHERE org_id = ? AND seq = ?")
                .params("nothing.happened", tampered.id().value(), 3L).update();
        assertThat(verify(tampered.admin().key()).path("valid").asBoolean()).isFalse();
        assertThat(verify(other.admin().key()).path("valid").asBoolean()).isTrue();
    }

    // ---------------------------------------------------------------- listing

    @Test
    void listingFiltersByActionAndActor() {
        Fixtures.TestOrg org = fixtures.org();
        for (int i = 0; i < 5; i++) {
            append(org.id(), "alice@x.test", "report.run", Map.of("i", i));
            append(org.id(), "bob@x.test", "report.run", Map.of("i", i));
            append(org.id(), "bob@x.test", "report.delete", Map.of("i", i));
        }
        List<JsonNode> runs = events(org.admin().key(), "?action=report.run");
        assertThat(runs).hasSize(10).allSatisfy(e -> assertThat(e.path("action").asString()).isEqualTo("report.run"));

        List<JsonNode> bobs = events(org.admin().key(), "?actor=bob%40x.test");
        assertThat(bobs).hasSize(10)
                .allSatisfy(e -> assertThat(e.path("actor").path("label").asString()).isEqualTo("bob@x.test"));

        List<JsonNode> bobRuns = events(org.admin().key(), "?actor=bob%40x.test&action=report.run");
        assertThat(bobRuns).hasSize(5);

        assertThat(events(org.admin().key(), "?action=never.happened")).isEmpty();
        // Newest first.
        List<Long> seqs = runs.stream().map(e -> e.path("seq").asLong()).toList();
        assertThat(seqs).isSortedAccordingTo((x, y) -> Long.compare(y, x));
    }

    @Test
    void listingFiltersByTime() throws Exception {
        Fixtures.TestOrg org = fixtures.org();
        for (int i = 0; i < 3; i++) {
            append(org.id(), "early@x.test", "batch.early", Map.of("i", i));
        }
        Thread.sleep(5);
        Instant boundary = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Thread.sleep(5);
        for (int i = 0; i < 4; i++) {
            append(org.id(), "late@x.test", "batch.late", Map.of("i", i));
        }
        String key = org.admin().key();
        String b = URLEncoder.encode(boundary.toString(), StandardCharsets.UTF_8);

        List<JsonNode> fromBoundary = events(key, "?from=" + b);
        assertThat(fromBoundary).hasSize(4)
                .allSatisfy(e -> assertThat(e.path("action").asString()).isEqualTo("batch.late"));

        List<JsonNode> toBoundary = events(key, "?to=" + b);
        assertThat(toBoundary).extracting(e -> e.path("action").asString())
                .contains("batch.early").doesNotContain("batch.late");
        assertThat(toBoundary.stream().filter(e -> e.path("action").asString().equals("batch.early"))).hasSize(3);

        for (JsonNode e : fromBoundary) {
            assertThat(Instant.parse(e.path("occurred_at").asString())).isAfterOrEqualTo(boundary);
        }
        for (JsonNode e : toBoundary) {
            assertThat(Instant.parse(e.path("occurred_at").asString())).isBefore(boundary);
        }
        String far = URLEncoder.encode(boundary.plusSeconds(3600).toString(), StandardCharsets.UTF_8);
        assertThat(events(key, "?from=" + b + "&to=" + far)).hasSize(4);
        assertThat(events(key, "?from=" + far)).isEmpty();
    }

    @Test
    void cursorPagingWalksEveryEventOnceWithoutGaps() {
        Fixtures.TestOrg org = orgWithEvents(250);
        long total = eventCount(org.id());
        String key = org.admin().key();

        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response page = api().get(key, "/api/v1/audit-events?limit=40" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            JsonNode body = page.json();
            assertThat(body.path("events").size()).isLessThanOrEqualTo(40);
            for (JsonNode e : body.path("events")) {
                seen.add(e.path("seq").asLong());
            }
            JsonNode next = body.path("next_cursor");
            cursor = next.isNull() || next.isMissingNode() ? null : next.asString();
            pages++;
            assertThat(pages).as("paging terminates").isLessThan(100);
        } while (cursor != null);

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).hasSize((int) total);
        assertThat(seen).isSortedAccordingTo((x, y) -> Long.compare(y, x));
        assertThat(seen.getFirst()).isEqualTo(total);
        assertThat(seen.getLast()).isEqualTo(1);
        assertThat(pages).isGreaterThanOrEqualTo((int) Math.ceil(total / 40.0));
    }

    @Test
    void badListingParametersAreRefusedWithAProblem() {
        Fixtures.TestOrg org = fixtures.org();
        String key = org.admin().key();
        for (String query : List.of("?limit=0", "?limit=-5", "?limit=1001", "?limit=abc", "?limit=99999999999",
                "?cursor=!!!not-base64", "?cursor=" + base64("x12"), "?cursor=" + base64("sNaN"),
                "?from=yesterday", "?to=2026-13-45", "?from=2026-01-01")) {
            Api.Response response = api().get(key, "/api/v1/audit-events" + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.contentType()).as(query).startsWith("application/problem+json");
            JsonNode problem = response.json();
            assertThat(problem.path("type").asString()).as(query).startsWith("urn:warden:problem:");
            assertThat(problem.path("title").asString()).as(query).isNotBlank();
            assertThat(problem.path("status").asInt()).as(query).isEqualTo(400);
            assertThat(problem.path("detail").asString()).as(query).isNotBlank();
            assertThat(problem.path("request_id").asString()).as(query)
                    .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        }
    }

    // ---------------------------------------------------------------- export

    @Test
    void exportStreamsOneJsonLinePerEventOldestFirst() {
        Fixtures.TestOrg org = orgWithEvents(30);
        long total = eventCount(org.id());
        Api.Response response = api().get(org.admin().key(), "/api/v1/audit-events/export");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/x-ndjson");
        String[] lines = response.body().split("\n");
        assertThat(lines).hasSize((int) total);
        assertThat(response.body()).endsWith("\n");
        long expected = 1;
        for (String line : lines) {
            JsonNode e = JSON.readTree(line);
            assertThat(e.isObject()).isTrue();
            assertThat(e.path("seq").asLong()).isEqualTo(expected++);
            assertThat(e.path("id").asString()).isNotBlank();
            assertThat(e.path("hash").asString()).hasSize(64);
        }
        assertContiguousChain(export(org.admin().key()));
    }

    // ---------------------------------------------------------------- who may read it

    @Test
    void aMemberMayNotReadTheAuditLogAndTheDenialIsAudited() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person member = fixtures.person(org, OrgRole.MEMBER);
        for (String path : List.of("/api/v1/audit-events", "/api/v1/audit-events/verify",
                "/api/v1/audit-events/export")) {
            Api.Response response = api().get(member.key(), path);
            assertThat(response.status()).as(path).isEqualTo(403);
            assertThat(response.contentType()).as(path).startsWith("application/problem+json");
            assertThat(response.body()).as(path).doesNotContain("\"events\"").doesNotContain("prev_hash");
        }
        List<JsonNode> denials = events(org.admin().key(), "?action=access.denied");
        assertThat(denials).hasSize(3).allSatisfy(e -> {
            assertThat(e.path("outcome").asString()).isEqualTo("DENIED");
            assertThat(e.path("actor").path("label").asString()).isEqualTo(member.email());
            assertThat(e.path("actor").path("id").asString()).isEqualTo(member.id().toString());
            assertThat(e.path("details").path("permission").asString()).isEqualTo("AUDIT_READ");
        });
        assertThat(denials).extracting(e -> e.path("details").path("endpoint").asString())
                .containsExactlyInAnyOrder("/api/v1/audit-events", "/api/v1/audit-events/verify",
                        "/api/v1/audit-events/export");
        assertThat(verify(org.admin().key()).path("valid").asBoolean()).isTrue();
    }

    @Test
    void anAdminSeesOnlyTheirOwnOrgsEvents() {
        Fixtures.TestOrg a = fixtures.org();
        Fixtures.TestOrg b = fixtures.org();
        append(b.id(), "b-only@x.test", "secret.b.thing", Map.of());
        assertThat(events(a.admin().key(), "?action=secret.b.thing")).isEmpty();
        assertThat(api().get(a.admin().key(), "/api/v1/audit-events/export").body()).doesNotContain("secret.b.thing");
        assertThat(events(b.admin().key(), "?action=secret.b.thing")).hasSize(1);
    }

    // ---------------------------------------------------------------- helpers

    private void runConcurrently(List<OrgId> orgs, int writersPerOrg, int eventsPerWriter) throws Exception {
        int writers = orgs.size() * writersPerOrg;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch ready = new CountDownLatch(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                OrgId org = orgs.get(w % orgs.size());
                int writer = w;
                done.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    for (int n = 0; n < eventsPerWriter; n++) {
                        auditLog.append(org, AuditRecord.of(AuditActor.system("writer-" + writer), "test.write")
                                .details(Map.of("writer", writer, "n", n, "org", org.toString())).build());
                    }
                    return null;
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS); // rethrows any writer's failure
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Fixtures.TestOrg orgWithEvents(int n) {
        Fixtures.TestOrg org = fixtures.org();
        for (int i = 0; i < n; i++) {
            append(org.id(), "writer@x.test", "test.event", Map.of("n", i));
        }
        return org;
    }

    private void append(OrgId org, String actor, String action, Map<String, Object> details) {
        auditLog.append(org, AuditRecord.of(new AuditActor("USER", java.util.Optional.of(UUID.randomUUID().toString()),
                actor), action).details(details).build());
    }

    private long eventCount(OrgId org) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE org_id = ?").param(org.value()).query(Long.class).single();
    }

    private UUID eventId(OrgId org, long seq) {
        return jdbc.sql("SELECT id FROM audit_events WHERE org_id = ? AND seq = ?").params(org.value(), seq)
                .query(UUID.class).single();
    }

    private JsonNode verify(String key) {
        Api.Response response = api().get(key, "/api/v1/audit-events/verify");
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private List<JsonNode> export(String key) {
        Api.Response response = api().get(key, "/api/v1/audit-events/export");
        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isEmpty()) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    private List<JsonNode> events(String key, String query) {
        Api.Response response = api().get(key, "/api/v1/audit-events" + query + (query.isEmpty() ? "?" : "&") + "limit=1000");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        response.json().path("events").forEach(events::add);
        return events;
    }

    private static void assertContiguousChain(List<JsonNode> events) {
        String prev = GENESIS;
        long seq = 1;
        for (JsonNode e : events) {
            assertThat(e.path("seq").asLong()).isEqualTo(seq);
            assertThat(e.path("prev_hash").asString()).as("prev_hash of event " + seq).isEqualTo(prev);
            prev = e.path("hash").asString();
            assertThat(prev).hasSize(64);
            seq++;
        }
    }

    private static String base64(String text) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void eventsOfAVirtualThreadInterruptedAgainAndAgainAreAllCommittedAndTheInterruptIsKept() throws Exception {
        // A CSV export whose client left runs on a task thread Spring cancels (interrupts), at any
        // moment; on a virtual thread an interrupt closes the socket it is writing to.
        Fixtures.TestOrg testOrg = fixtures.org();
        OrgId org = testOrg.id();
        int events = 40;
        java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread appender = Thread.ofVirtual().unstarted(() -> {
            try {
                for (int i = 0; i < events; i++) {
                    auditLog.appendAlone(org, AuditRecord.of(AuditActor.system("interrupted"), "test.interrupted").build());
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        appender.start();
        while (appender.isAlive()) {
            appender.interrupt();
            Thread.sleep(1);
        }

        assertThat(failed.get()).isNull();
        assertThat(stillInterrupted.get()).isTrue();
        Api.Response listed = api().get(testOrg.admin().key(), "/api/v1/audit-events?action=test.interrupted&limit=100");
        assertThat(listed.json().path("events")).hasSize(events);
        assertThat(api().get(testOrg.admin().key(), "/api/v1/audit-events/verify").json().path("valid").asBoolean()).isTrue();
    }
}
