package dev.warden.server.query;

import dev.warden.semantic.compile.VisibleMetadata;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.AccessContext;
import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.Permission;
import dev.warden.server.access.Requires;
import dev.warden.server.connections.execution.WarehouseQueries;
import dev.warden.server.problem.ResourceNotFound;
import dev.warden.server.web.ClientConnection;
import dev.warden.server.web.ClientDisconnects;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Governed queries and the topics a person may query (API.md, "Query" and "Metadata"). */
@RestController
final class QueryController {
    private static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

    private final QueryService queries;
    private final ViewAs viewAs;
    private final CurrentAccess access;
    private final ClientDisconnects disconnects;

    QueryController(QueryService queries, ViewAs viewAs, CurrentAccess access, ClientDisconnects disconnects) {
        this.queries = queries;
        this.viewAs = viewAs;
        this.access = access;
        this.disconnects = disconnects;
    }

    /** The query prepared for the caller, or for the person an admin views as. */
    private QueryService.Prepared prepare(String body, String purpose) {
        AccessContext caller = access.require();
        var query = queries.parse(body);
        if (query.asUser().isPresent()) {
            AccessContext target = viewAs.as(caller, query.asUser().get(), purpose);
            return queries.prepare(target, query, java.util.Optional.of(caller));
        }
        return queries.prepare(caller, query);
    }

    @PostMapping(value = "/api/v1/query", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Requires(Permission.QUERY)
    ResponseEntity<byte[]> query(@RequestBody String body) {
        QueryService.Prepared prepared = prepare(body, "query");
        AccessContext subject = subject(prepared);
        // Nothing is written until the warehouse answers, so the client's connection is watched
        // meanwhile: a client that leaves cancels the statement (the audit event says CANCELLED).
        var cancellation = new WarehouseQueries.Cancellation();
        QueryService.Result result;
        try (var watch = disconnects.watch(cancellation::cancel)) {
            result = queries.run(subject, prepared, cancellation);
        }
        String sql = prepared.role().atLeast(ConnectionRole.MODELER) ? prepared.compiled().sql() : null;
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(ResultWriter.json(result, prepared.zone(), sql));
    }

    /** The same query, chosen by {@code Accept: text/csv}: streamed, never held in memory. */
    @PostMapping(value = "/api/v1/query", consumes = MediaType.APPLICATION_JSON_VALUE, produces = "text/csv")
    @Requires(Permission.QUERY)
    ResponseEntity<StreamingResponseBody> queryCsv(@RequestBody String body) {
        QueryService.Prepared prepared = prepare(body, "csv export");
        return csv(subject(prepared), prepared);
    }

    /** Rows stream as they arrive: memory stays flat whatever the size; a client that leaves stops the query. */
    private ResponseEntity<StreamingResponseBody> csv(AccessContext context, QueryService.Prepared prepared) {
        ClientConnection client = ClientConnection.current(); // taken here: the body runs on another thread
        StreamingResponseBody body = out -> {
            var cancellation = new WarehouseQueries.Cancellation();
            // Until the first row, nothing is written that could fail, so the connection is
            // watched as for a JSON answer (a sorted export may compute a long while first).
            var watch = disconnects.watch(client, cancellation::cancel);
            // Rows are read here and written on the export's own thread (see CsvExport).
            try (watch; var export = new ResultWriter.CsvExport(out, prepared.zone(), prepared.compiled().columns())) {
                queries.stream(context, prepared, cancellation, new WarehouseQueries.RowHandler() {
                    @Override
                    public void start(List<String> labels) {
                        watch.close(); // from here the writes notice a client that left
                    }

                    @Override
                    public boolean row(Object[] values) throws Exception {
                        export.row(values); // throws once a write failed (the client left): the statement is cancelled
                        return true;
                    }
                });
                export.finish();
            }
        };
        return ResponseEntity.ok().contentType(CSV)
                .header("Content-Disposition", "attachment; filename=\"" + prepared.query().topic() + ".csv\"")
                .body(body);
    }

    /** Compiles without running: the SQL with ? for every bind value (MODELER and above). */
    @PostMapping(value = "/api/v1/query/sql", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Requires(Permission.QUERY)
    ResponseEntity<byte[]> sql(@RequestBody String body) {
        QueryService.Prepared prepared = prepare(body, "sql");
        if (!prepared.role().atLeast(ConnectionRole.MODELER)) {
            throw new dev.warden.server.access.AccessDenied(
                    "seeing generated SQL needs the MODELER role on this connection; you have " + prepared.role());
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("sql", prepared.compiled().sql());
        v.put("bind_count", prepared.compiled().binds().size());
        v.put("columns", ResultWriter.columns(prepared.compiled().columns()));
        v.put("limit", prepared.compiled().effectiveLimit());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ResultWriter.jsonOf(v));
    }

    /**
     * Why a query compiles or not: grants, denied fields, access filters, always_where. For the
     * caller (MODELER on the connection), or as a chosen person (ORG_ADMIN with as_user).
     */
    @PostMapping(value = "/api/v1/query/explain", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Requires(Permission.QUERY)
    ResponseEntity<byte[]> explain(@RequestBody String body) {
        AccessContext caller = access.require();
        var query = queries.parse(body);
        var explanation = query.asUser().isPresent()
                ? queries.explain(viewAs.as(caller, query.asUser().get(), "explain"), query, false)
                : queries.explain(caller, query, true);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ResultWriter.jsonOf(explanation));
    }

    @GetMapping("/api/v1/topics")
    @Requires(Permission.CONNECTIONS)
    List<Map<String, Object>> topics(@org.springframework.web.bind.annotation.RequestParam(name = "as_user", required = false)
                                     String asUser) {
        return queries.topics(subjectFor(asUser, "topics")).stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("label", t.label());
            m.put("description", t.description().orElse(null));
            m.put("curated", t.curated());
            return m;
        }).toList();
    }

    @GetMapping("/api/v1/topics/{topic}")
    @Requires(Permission.CONNECTIONS)
    VisibleMetadata.VisibleTopic topic(@PathVariable String topic,
                                       @org.springframework.web.bind.annotation.RequestParam(name = "as_user", required = false)
                                       String asUser) {
        return queries.topics(subjectFor(asUser, "topics")).stream().filter(t -> t.name().equals(topic)).findFirst()
                .orElseThrow(() -> new ResourceNotFound("topic"));
    }

    private AccessContext subjectFor(String asUser, String purpose) {
        AccessContext caller = access.require();
        return asUser == null ? caller : viewAs.as(caller, asUser, purpose);
    }

    /** The person whose access a prepared query carries: the viewed person under view-as, else the caller. */
    private static AccessContext subject(QueryService.Prepared prepared) {
        return prepared.subject();
    }
}
