package dev.warden.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.connections.Connections;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import dev.warden.server.support.QueryFixtures;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A client that leaves in the middle of a CSV export stops it: the server's next write fails,
 * the statement is cancelled and closed, the audit log records the query as CANCELLED with the
 * rows sent so far, and the warehouse answers the next query.
 */
class CsvClientGoneTest extends ApiTest {
    private static final long ROWS = 3_000_000;
    private static final String PATH = "e2e/csv-gone.duckdb";
    private static final String MODEL = """
            connection: wh
            views:
              many:
                table: main.many
                primary_key: id
                dimensions:
                  id: { type: number }
                  label: { type: string }
            topics:
              many:
                base_view: many
                access_filters: []
            """;

    @Autowired
    AttributeRepository attributes;
    @Autowired
    Connections connections;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aClientThatLeavesCancelsTheExport() throws Exception {
        QueryFixtures.duckdb(PATH,
                "CREATE TABLE IF NOT EXISTS main.many AS SELECT range AS id, 'row ' || range AS label FROM range("
                    + ROWS + ")");
        QueryFixtures q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        Fixtures.TestOrg org = q.org();
        String connection = q.connection(org, Map.of("name", "wh", "type", "duckdb", "path", PATH));
        q.model(org, connection, "many", MODEL);
        assertThat(jdbc.sql("UPDATE orgs SET row_limit = ? WHERE id = ?").params(10_000_000, org.id().value()).update())
                .isEqualTo(1);

        String body = QueryFixtures.EXACT.writeValueAsString(QueryFixtures.query("many",
                List.of("many.id", "many.label"), "limit", (int) ROWS, "cache", false));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            socket.setReceiveBufferSize(64 * 1024);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + org.admin().key()
                    + "\r\nContent-Type: application/json\r\nAccept: text/csv\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            String status = null;
            while (read < 1_000_000) {
                int n = in.read(buffer);
                assertThat(n).as("the export ended before the client left").isPositive();
                if (status == null) {
                    status = new String(buffer, 0, Math.min(n, 12), StandardCharsets.US_ASCII);
                }
                read += n;
            }
            assertThat(status).isEqualTo("HTTP/1.1 200");
            socket.setSoLinger(true, 0); // leave abruptly: the server's next write fails
        }

        JsonNode event = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (event == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
            for (JsonNode e : api().get(org.admin().key(), "/api/v1/audit-events?action=query.run").json().path("events")) {
                if ("many".equals(e.path("details").path("topic").stringValue(null))) {
                    event = e;
                }
            }
        }
        assertThat(event).as("the export's audit event").isNotNull();
        assertThat(event.path("outcome").stringValue(null)).isEqualTo("FAILURE");
        assertThat(event.path("details").path("failure").stringValue(null)).isEqualTo("CANCELLED");
        long sent = event.path("details").path("row_count").asLong(-1);
        assertThat(sent).as("rows handed to the writer before the write failed").isPositive().isLessThan(ROWS);

        // The statement was closed and its connection went back to the pool: the warehouse answers.
        assertThat(QueryFixtures.rows(q.query(org.admin(), QueryFixtures.query("many", List.of("many.label"),
                "filters", List.of(Map.of("field", "many.id", "op", "eq", "values", List.of(7)))))))
                .containsExactly(List.of("row 7"));
    }
}
