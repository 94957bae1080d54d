package dev.warden.server.query;

import dev.warden.semantic.compile.ColumnInfo;
import dev.warden.semantic.compile.Compilation;
import dev.warden.semantic.compile.QueryCompiler;
import dev.warden.semantic.compile.VisibleMetadata;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.semantic.policy.Policy;
import dev.warden.semantic.query.Filter;
import dev.warden.semantic.query.Query;
import dev.warden.semantic.query.QueryParser;
import dev.warden.semantic.query.QueryRejected;
import dev.warden.server.access.AccessContext;
import dev.warden.server.attributes.UserAttributes;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.connections.ConnectionAccess;
import dev.warden.server.connections.execution.WarehouseFailure;
import dev.warden.server.connections.execution.WarehouseQueries;
import dev.warden.server.models.Models;
import dev.warden.server.query.cache.CachedResult;
import dev.warden.server.query.cache.ResultCache;
import dev.warden.server.tenancy.Org;
import dev.warden.server.tenancy.Tenants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * The governed query path: access context, role on the connection, the active model, the
 * compiler (which weaves in the person's row filters and field grants), the result cache, the
 * warehouse, and one audit event. Nothing here looks at an org id from the request.
 */
@Service
public class QueryService {
    private final Models models;
    private final ConnectionAccess access;
    private final UserAttributes attributes;
    private final Tenants tenants;
    private final WarehouseQueries warehouse;
    private final ResultCache cache;
    private final AuditLog audit;

    public QueryService(Models models, ConnectionAccess access, UserAttributes attributes, Tenants tenants,
                        WarehouseQueries warehouse, ResultCache cache, AuditLog audit) {
        this.models = models;
        this.access = access;
        this.attributes = attributes;
        this.tenants = tenants;
        this.warehouse = warehouse;
        this.cache = cache;
        this.audit = audit;
    }

    /** A query compiled for one person, ready to run. */
    /**
     * A query compiled for one person, ready to run. {@code viewer} is the admin who runs it as
     * that person ("view as"), named as the actor in the audit log.
     */
    public record Prepared(Query query, Models.Active model, ConnectionRole role, ZoneId zone,
                           Compilation.Compiled compiled, String cacheKey, java.util.Optional<AccessContext> viewer,
                           AccessContext subject) {}

    /** A finished result: columns, rows (at most the limit), and how it was obtained. */
    public record Result(List<ColumnInfo> columns, List<Object[]> rows, boolean truncated, boolean cacheHit,
                         long durationMillis, String queryId) {}

    public Query parse(String body) {
        try {
            return QueryParser.parse(body == null ? "" : body);
        } catch (QueryRejected rejected) {
            throw new QueryFailure(HttpStatus.BAD_REQUEST, "invalid-query", "Invalid query",
                    String.join("; ", rejected.problems()));
        }
    }

    public Prepared prepare(AccessContext context, Query query) {
        return prepare(context, query, java.util.Optional.empty());
    }

    /**
     * Reads the org and its access generation (one statement), then the active models, the
     * person's role and the attribute defaults of that generation, from the node's caches unless
     * something changed since (see {@link dev.warden.server.tenancy.AccessGenerations}).
     */
    public Prepared prepare(AccessContext context, Query query, java.util.Optional<AccessContext> viewer) {
        Tenants.OrgNow now = tenants.now(context.orgId()).orElseThrow();
        Org org = now.org();
        long generation = now.generation();
        Models.Active model = resolve(context, query, generation);
        ConnectionRole role = access.roleOn(context, model.connection(), generation);
        if (!role.mayQuery()) {
            throw new QueryFailure(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                    "Your role on this connection (" + role + ") cannot run ad-hoc queries.");
        }
        ZoneId zone = query.timezone().orElse(org.timezone().map(ZoneId::of).orElse(ZoneId.of("UTC")));
        Policy policy = policy(context, role, generation);
        Compilation compilation = QueryCompiler.compile(model.model(), query.withDefaultTimezone(zone), policy,
                model.connection().type().dialect(), org.rowLimit());
        return switch (compilation) {
            case Compilation.Refused r -> throw refused(r.publicMessage());
            case Compilation.Compiled c -> new Prepared(query, model, role, zone, c, cacheKey(context, model, role, c), viewer,
                    context);
        };
    }

    /** Why the query compiles or not for this person; {@code needModeler} for people explaining themselves. */
    public dev.warden.semantic.compile.QueryExplainer.Explanation explain(AccessContext context, Query query,
                                                                        boolean needModeler) {
        long generation = tenants.now(context.orgId()).orElseThrow().generation();
        Models.Active model = resolve(context, query, generation);
        ConnectionRole role = access.roleOn(context, model.connection(), generation);
        if (needModeler && !role.atLeast(ConnectionRole.MODELER)) {
            throw new QueryFailure(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                    "Explaining queries needs the MODELER role on this connection; you have " + role + ".");
        }
        return dev.warden.semantic.compile.QueryExplainer.explain(model.model(), query, policy(context, role, generation));
    }

    private Policy policy(AccessContext context, ConnectionRole role, long generation) {
        return new Policy(context.attributes(), attributes.defaultsFor(context.orgId(), generation, context.attributes()),
                role);
    }

    /** The one active model that defines the topic and that the person can see at all. */
    private Models.Active resolve(AccessContext context, Query query, long generation) {
        List<Models.Active> active = models.active(context.orgId(), generation);
        if (active.isEmpty()) {
            throw new QueryFailure(HttpStatus.CONFLICT, "no-active-model", "No active model",
                    "This org has no active model yet: a modeler uploads and activates one first.");
        }
        List<Models.Active> candidates = new ArrayList<>();
        for (Models.Active a : active) {
            if (a.model().topic(query.topic()).isPresent()
                    && access.roleOn(context, a.connection(), generation) != ConnectionRole.NO_ACCESS) {
                candidates.add(a);
            }
        }
        if (candidates.isEmpty()) {
            // The compiler's own words for an unknown topic: a topic on a connection the person
            // cannot see is as unknown as one that was never defined.
            throw refused("Unknown topic \"" + query.topic() + "\".");
        }
        if (candidates.size() > 1) {
            throw new QueryFailure(HttpStatus.CONFLICT, "ambiguous-topic", "Ambiguous topic",
                    "Several active models define this topic; give topics unique names across models.");
        }
        return candidates.getFirst();
    }

    /**
     * Runs a prepared query, through the cache unless the query says {@code "cache": false};
     * {@code cancellation} stops the warehouse's work (the client left).
     */
    public Result run(AccessContext context, Prepared p, WarehouseQueries.Cancellation cancellation) {
        long started = System.nanoTime();
        String queryId = UUID.randomUUID().toString();
        boolean useCache = p.query().cache().orElse(true);
        CachedResult result = useCache ? cache.get(context.orgId(), p.cacheKey()).orElse(null) : null;
        boolean hit = result != null;
        try {
            if (!hit) {
                requireTimeZone(p);
                result = fetch(p, cancellation);
                if (useCache) {
                    cache.put(context.orgId(), p.cacheKey(), result,
                            Duration.ofSeconds(p.model().record().cacheTtlSeconds()));
                }
            }
        } catch (WarehouseFailure failure) {
            auditRun(context, p, queryId, -1, millisSince(started), hit, failure.kind().name());
            throw asFailure(failure);
        }
        long millis = millisSince(started);
        auditRun(context, p, queryId, result.rows().size(), millis, hit, null);
        return new Result(p.compiled().columns(), result.rows(), result.truncated(), hit, millis, queryId);
    }

    /**
     * Streams every row to the handler without holding the result; for CSV exports, so text may
     * arrive as UTF-8 bytes (see {@link WarehouseQueries#runWithTextAsUtf8}).
     */
    public long stream(AccessContext context, Prepared p, WarehouseQueries.Cancellation cancellation,
                       WarehouseQueries.RowHandler handler) {
        long started = System.nanoTime();
        String queryId = UUID.randomUUID().toString();
        int limit = p.compiled().effectiveLimit();
        long[] sent = {0};
        try {
            requireTimeZone(p);
            warehouse.runWithTextAsUtf8(p.model().connection(), p.compiled().sql(), p.compiled().binds(),
                    p.model().connection().settings().statementTimeoutSeconds(), cancellation,
                    new WarehouseQueries.RowHandler() {
                        @Override
                        public void start(List<String> labels) throws Exception {
                            handler.start(labels);
                        }

                        @Override
                        public boolean row(Object[] values) throws Exception {
                            if (sent[0] >= limit) {
                                return false; // the extra row only says "truncated"
                            }
                            sent[0]++;
                            return handler.row(values);
                        }
                    });
        } catch (WarehouseFailure failure) {
            auditRun(context, p, queryId, sent[0], millisSince(started), false, failure.kind().name());
            throw asFailure(failure);
        }
        auditRun(context, p, queryId, sent[0], millisSince(started), false, null);
        return sent[0];
    }

    /** The topics, views and fields this person may query, across the org's active models. */
    public List<VisibleMetadata.VisibleTopic> topics(AccessContext context) {
        List<VisibleMetadata.VisibleTopic> topics = new ArrayList<>();
        long generation = tenants.now(context.orgId()).orElseThrow().generation();
        for (Models.Active a : models.active(context.orgId(), generation)) {
            ConnectionRole role = access.roleOn(context, a.connection(), generation);
            if (!role.mayQuery()) {
                continue;
            }
            Policy policy = policy(context, role, generation);
            topics.addAll(VisibleMetadata.of(a.model(), policy).topics());
        }
        return topics;
    }

    private CachedResult fetch(Prepared p, WarehouseQueries.Cancellation cancellation) {
        int limit = p.compiled().effectiveLimit();
        List<Object[]> rows = new ArrayList<>();
        boolean[] truncated = {false};
        List<String> labels = new ArrayList<>();
        warehouse.run(p.model().connection(), p.compiled().sql(), p.compiled().binds(),
                p.model().connection().settings().statementTimeoutSeconds(), cancellation,
                new WarehouseQueries.RowHandler() {
                    @Override
                    public void start(List<String> columnLabels) {
                        labels.addAll(columnLabels);
                    }

                    @Override
                    public boolean row(Object[] values) {
                        if (rows.size() == limit) {
                            truncated[0] = true;
                            return false;
                        }
                        rows.add(values);
                        return true;
                    }
                });
        return new CachedResult(labels, rows, truncated[0]);
    }

    /** Where the SQL moves timestamps into a zone, the warehouse must know the zone (MySQL may not). */
    private void requireTimeZone(Prepared p) {
        for (String zone : p.compiled().timeZones()) {
            warehouse.requireTimeZone(p.model().connection(), ZoneId.of(zone));
        }
    }

    private void auditRun(AccessContext context, Prepared p, String queryId, long rows, long millis, boolean hit,
                          String failure) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("query_id", queryId);
        details.put("topic", p.query().topic());
        details.put("fields", p.query().fields().stream().map(Object::toString).toList());
        // Filter fields and operators only: filter values are data, and data stays out of the log.
        details.put("filters", p.query().filters().stream().map(QueryService::describe).toList());
        details.put("model", p.model().record().name());
        details.put("model_version", p.model().version());
        details.put("connection", p.model().connection().name());
        details.put("row_count", rows);
        details.put("duration_ms", millis);
        details.put("cache", hit ? "hit" : "miss");
        if (failure != null) {
            details.put("failure", failure);
        }
        p.viewer().ifPresent(admin -> details.put("as_user", context.userId().map(Object::toString).orElse("")));
        AccessContext actor = p.viewer().orElse(context);
        audit.appendAlone(context.orgId(), AuditRecord.of(AuditActor.of(actor), "query.run")
                .outcome(failure == null ? AuditRecord.Outcome.SUCCESS : AuditRecord.Outcome.FAILURE)
                .target("model", p.model().record().id()).requestId(context.requestId()).details(details).build());
    }

    private static String describe(Filter f) {
        return f.field() + " " + f.op();
    }

    private static QueryFailure refused(String message) {
        return new QueryFailure(HttpStatus.BAD_REQUEST, "query-refused", "Query refused", message);
    }

    static QueryFailure asFailure(WarehouseFailure failure) {
        HttpStatus status = switch (failure.kind()) {
            case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
            case UNREACHABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case NO_SECRET -> HttpStatus.CONFLICT;
            case CANCELLED -> HttpStatus.SERVICE_UNAVAILABLE;
            case AUTHENTICATION, TLS, UNKNOWN_DATABASE, HOST_NOT_ALLOWED, DRIVER_MISSING, QUERY_FAILED, TIME_ZONE_UNKNOWN,
                 OTHER ->
                    HttpStatus.BAD_GATEWAY;
        };
        return new QueryFailure(status, "warehouse-" + failure.kind().name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-'), "Warehouse error", failure.kind().description() + ".");
    }

    /**
     * Everything that decides a result: org, connection version, model version, SQL text, bind
     * values with their types, and the person's policy. Two people whose attributes differ never
     * share an entry, even where their SQL happens to be the same.
     */
    private static String cacheKey(AccessContext context, Models.Active model, ConnectionRole role,
                                   Compilation.Compiled compiled) {
        StringBuilder b = new StringBuilder();
        b.append(context.orgId()).append('\n')
                .append(model.connection().id()).append(':').append(model.connection().version()).append('\n')
                .append(model.record().id()).append(':').append(model.version()).append('\n')
                .append(compiled.sql()).append('\n');
        for (Object bind : compiled.binds()) {
            String text = String.valueOf(bind);
            b.append(bind.getClass().getSimpleName()).append(':').append(text.length()).append(':').append(text).append('\n');
        }
        b.append(role).append('\n');
        new TreeMap<>(context.attributes()).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
