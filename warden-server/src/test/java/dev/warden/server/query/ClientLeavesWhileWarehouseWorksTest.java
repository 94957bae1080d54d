package dev.warden.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.connections.Connections;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import dev.warden.server.support.QueryFixtures;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * API.md: "A client that disconnects cancels its warehouse query", also before anything was
 * written: a JSON answer waits for the whole result, and a sorted CSV export for its first row. A client that leaves while an endless query
 * runs stops it (the audit event says CANCELLED, long before the statement timeout); a client
 * that stays gets its answer, also when it has already sent its next request on the same
 * connection (those bytes are read while watching and handed back to the server untouched).
 */
class ClientLeavesWhileWarehouseWorksTest extends ApiTest {
    /** About 10^12 multiplications: hours for DuckDB on this machine, far beyond the test's wait. */
    private static final String ENDLESS = """
            connection: wh
            views:
              endless:
                sql: "SELECT a.range AS id, a.range * b.range AS product FROM range(1000000) a, range(1000000) b"
                primary_key: id
                dimensions:
                  id: { type: number }
                  product: { type: number }
                measures:
                  total: { type: sum, sql: "${product}" }
              brief:
                sql: "SELECT a.range AS id, a.range * b.range AS product FROM range(10000) a, range(10000) b"
                primary_key: id
                dimensions:
                  id: { type: number }
                  product: { type: number }
                measures:
                  total: { type: sum, sql: "${product}" }
            topics:
              endless:
                base_view: endless
                access_filters: []
              brief:
                base_view: brief
                access_filters: []
            """;

    @Autowired
    AttributeRepository attributes;
    @Autowired
    Connections connections;

    private record Setup(QueryFixtures q, Fixtures.TestOrg org) {}

    private Setup setup() throws Exception {
        QueryFixtures.duckdb("e2e/json-gone.duckdb",
                "CREATE TABLE IF NOT EXISTS main.unused AS SELECT 1 AS id"); // the derived views need no table
        QueryFixtures q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        Fixtures.TestOrg org = q.org();
        String connection = q.connection(org, Map.of("name", "wh", "type", "duckdb", "path", "e2e/json-gone.duckdb",
                "statement_timeout_seconds", 600));
        q.model(org, connection, "endless", ENDLESS);
        return new Setup(q, org);
    }

    private static String request(Fixtures.TestOrg org, String topic, boolean close) throws Exception {
        return request(org, topic, close, "application/json");
    }

    private static String request(Fixtures.TestOrg org, String topic, boolean close, String accept) throws Exception {
        String body = QueryFixtures.EXACT.writeValueAsString(QueryFixtures.query(topic, List.of(topic + ".total"),
                "cache", false));
        return "POST /api/v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + org.admin().key()
                + "\r\nContent-Type: application/json\r\nAccept: " + accept + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + (close ? "Connection: close\r\n" : "")
                + "\r\n" + body;
    }

    @Test
    void aClientThatLeavesCancelsTheWarehouseQuery() throws Exception {
        leaveAndExpectCancelled("application/json");
    }

    @Test
    void aCsvClientThatLeavesBeforeTheFirstRowCancelsTheWarehouseQuery() throws Exception {
        leaveAndExpectCancelled("text/csv");
    }

    private void leaveAndExpectCancelled(String accept) throws Exception {
        Setup s = setup();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request(s.org(), "endless", true, accept).getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(1_500); // the statement runs
            assertThat(event(s, "endless")).as("no audit event before the query ends").isNull();
            socket.setSoLinger(true, 0);
        }

        JsonNode event = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (event == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
            event = event(s, "endless");
        }
        assertThat(event).as("the query's audit event, written when it was cancelled").isNotNull();
        assertThat(event.path("outcome").stringValue(null)).isEqualTo("FAILURE");
        assertThat(event.path("details").path("failure").stringValue(null)).isEqualTo("CANCELLED");
        assertThat(event.path("details").path("duration_ms").asLong()).as("cancelled when the client left")
                .isLessThan(30_000);

        // The connection went back to the pool and the warehouse answers the next query.
        assertThat(QueryFixtures.rows(s.q().query(s.org().admin(), QueryFixtures.query("brief",
                List.of("brief.total"), "cache", false)))).hasSize(1);
    }

    @Test
    void aClientThatStaysGetsItsAnswerAndItsPipelinedNextRequestIsKept() throws Exception {
        Setup s = setup();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            // Both requests at once: the second waits in the connection while the first one's
            // warehouse query runs and the connection is watched.
            out.write((request(s.org(), "brief", false) + request(s.org(), "brief", true))
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all); // until the server closes after the second answer
            String answers = all.toString(StandardCharsets.UTF_8);
            assertThat(answers.split("HTTP/1.1 200", -1)).as("two answers").hasSize(3);
            assertThat(answers).doesNotContain("HTTP/1.1 4").doesNotContain("HTTP/1.1 5");
        }
        assertThat(s.q().query(s.org().admin(), QueryFixtures.query("brief", List.of("brief.total"), "cache", false))
                .json().path("rows").size()).isEqualTo(1);
    }

    private JsonNode event(Setup s, String topic) {
        for (JsonNode e : api().get(s.org().admin().key(), "/api/v1/audit-events?action=query.run").json().path("events")) {
            if (topic.equals(e.path("details").path("topic").stringValue(null))) {
                return e;
            }
        }
        return null;
    }
}
