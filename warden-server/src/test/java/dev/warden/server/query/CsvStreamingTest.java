package dev.warden.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.connections.Connections;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import dev.warden.server.support.QueryFixtures;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A 5,000,000-row CSV export streams completely from a server whose JVM has a 256 MiB heap
 * ({@code -Xmx256m}: the surefire execution {@code csv-streaming} runs this class alone). The
 * client reads the body as a stream and counts lines without keeping them; the server, in this
 * same JVM, must neither run out of memory nor come near the limit. Rows per second are printed,
 * not asserted.
 */
class CsvStreamingTest extends ApiTest {
    private static final long ROWS = 5_000_000;
    private static final long HEAP_LIMIT = 256L * 1024 * 1024;
    private static final String PATH = "e2e/big.duckdb";
    private static final String MODEL = """
            connection: wh
            views:
              big:
                table: main.big
                primary_key: id
                dimensions:
                  id: { type: number }
                  label: { type: string }
                  bucket: { type: number }
            topics:
              big:
                base_view: big
                access_filters: []
            """;

    @Autowired
    AttributeRepository attributes;
    @Autowired
    Connections connections;
    @Autowired
    JdbcClient jdbc;

    private static void bigWarehouse() throws Exception {
        Path file = QueryFixtures.WAREHOUSES.resolve(PATH);
        Files.createDirectories(file.getParent());
        try (var c = DriverManager.getConnection("jdbc:duckdb:" + file); var s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS main.big AS SELECT range AS id, 'row ' || range AS label, "
                    + "range % 97 AS bucket FROM range(" + ROWS + ")");
            try (var rs = s.executeQuery("SELECT count(*) FROM main.big")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(ROWS);
            }
        }
    }

    @Test
    void fiveMillionRowsStreamInConstantMemory() throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertThat(maxHeap).as("this test proves something only with -Xmx256m (surefire execution csv-streaming)")
                .isLessThanOrEqualTo(HEAP_LIMIT);
        bigWarehouse();
        QueryFixtures q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        Fixtures.TestOrg org = q.org();
        String connection = q.connection(org, Map.of("name", "wh", "type", "duckdb", "path", PATH));
        q.model(org, connection, "big", MODEL);
        assertThat(jdbc.sql("UPDATE orgs SET row_limit = ? WHERE id = ?").params(10_000_000, org.id().value()).update())
                .isEqualTo(1);

        String body = QueryFixtures.EXACT.writeValueAsString(QueryFixtures.query("big",
                List.of("big.id", "big.label", "big.bucket"), "limit", (int) ROWS));
        HttpRequest request = HttpRequest.newBuilder(q.uri("/api/v1/query"))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + org.admin().key())
                .header("Content-Type", "application/json")
                .header("Accept", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long used = heapUsed();
                peakHeap.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long started = System.nanoTime();
        long lines = 0;
        long bytes = 0;
        String header;
        byte[] last = new byte[64];
        int lastLength = 0;
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
            StringBuilder first = new StringBuilder();
            try (InputStream in = response.body()) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        if (lines == 0 && b != '\r' && b != '\n') {
                            first.append((char) b);
                        }
                        if (b == '\n') {
                            lines++;
                            lastLength = 0;
                        } else if (lastLength < last.length) {
                            last[lastLength++] = b;
                        }
                    }
                    bytes += n;
                }
            }
            header = first.toString();
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("CSV streaming: %,d lines, %,d bytes in %.2f s: %,.0f rows/s; peak heap used %,d MiB of %,d MiB%n",
                lines, bytes, seconds, ROWS / seconds, peakHeap.get() >> 20, maxHeap >> 20);

        assertThat(header).isEqualTo("big.id,big.label,big.bucket");
        assertThat(lines).isEqualTo(ROWS + 1);
        assertThat(lastLength).as("the body ends with a line break").isZero();
        assertThat(peakHeap.get()).isLessThan(maxHeap);
        // The server is still well: a small query answers.
        assertThat(QueryFixtures.rows(q.query(org.admin(), QueryFixtures.query("big", List.of("big.bucket"),
                "filters", List.of(Map.of("field", "big.id", "op", "eq", "values", List.of(100))))))).containsExactly(
                List.of("3"));
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }
}
