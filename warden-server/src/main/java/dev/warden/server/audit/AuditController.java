package dev.warden.server.audit;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.OrgId;
import dev.warden.server.access.Permission;
import dev.warden.server.access.Requires;
import dev.warden.server.problem.InvalidRequest;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The org's audit log for its admins: listing, verification, export as JSON lines. */
@RestController
@RequestMapping("/api/v1/audit-events")
final class AuditController {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1_000;

    private final AuditTrail trail;
    private final CurrentAccess access;
    private final JsonMapper json = JsonMapper.builder().build();

    AuditController(AuditTrail trail, CurrentAccess access) {
        this.trail = trail;
        this.access = access;
    }

    @GetMapping
    @Requires(Permission.AUDIT_READ)
    Map<String, Object> list(@RequestParam Optional<String> from, @RequestParam Optional<String> to,
                             @RequestParam Optional<String> actor, @RequestParam Optional<String> action,
                             @RequestParam Optional<String> cursor, @RequestParam Optional<Integer> limit) {
        AccessContext context = access.require();
        int size = limit.orElse(DEFAULT_LIMIT);
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        var filter = new AuditRepository.Filter(from.map(v -> instant("from", v)), to.map(v -> instant("to", v)),
                actor, action, cursor.map(AuditController::decodeCursor));
        List<AuditEvent> events = trail.find(context.orgId(), filter, size);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", events.stream().map(this::view).toList());
        body.put("next_cursor", events.size() == size ? encodeCursor(events.getLast().seq()) : null);
        return body;
    }

    @GetMapping("/verify")
    @Requires(Permission.AUDIT_READ)
    AuditTrail.Verification verify() {
        return trail.verify(access.require().orgId());
    }

    @GetMapping(value = "/export", produces = "application/x-ndjson")
    @Requires(Permission.AUDIT_READ)
    ResponseEntity<StreamingResponseBody> export() {
        OrgId org = access.require().orgId();
        StreamingResponseBody body = out -> {
            var writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            trail.forEach(org, event -> {
                try {
                    writer.write(json.writeValueAsString(view(event)));
                    writer.write('\n');
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.flush();
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/x-ndjson"))
                .header("Content-Disposition", "attachment; filename=\"audit-events.jsonl\"")
                .body(body);
    }

    private Map<String, Object> view(AuditEvent e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("seq", e.seq());
        v.put("occurred_at", e.occurredAt().toString());
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("kind", e.actorKind());
        actor.put("id", e.actorId());
        actor.put("label", e.actorLabel());
        v.put("actor", actor);
        v.put("action", e.action());
        v.put("outcome", e.outcome());
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("type", e.targetType());
        target.put("id", e.targetId());
        v.put("target", target);
        v.put("request_id", e.requestId());
        v.put("details", detailsOf(e));
        v.put("prev_hash", e.prevHash());
        v.put("hash", e.hash());
        return v;
    }

    private JsonNode detailsOf(AuditEvent e) {
        return json.readTree(e.details());
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequest(name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    private static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s" + seq).getBytes(StandardCharsets.US_ASCII));
    }

    private static long decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!text.startsWith("s")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(text.substring(1));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("cursor is not one this API returned");
        }
    }
}
