package dev.warden.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End-to-end figures of issue 4 ("Performance"), measured side by side in one run on the demo
 * data: the governed query path over HTTP against the same SQL through plain JDBC, cached
 * throughput from 8 concurrent clients, and CSV streaming.
 *
 * <p>Setup: the server runs as a separate process ({@code java -jar warden-server-exec.jar}, with
 * {@code WARDEN_DATA_DIR} set to a fresh directory and {@code WARDEN_PORT}), exactly as
 * {@code ./warden run} starts it; its demo generates the warehouse and writes
 * {@code demo-credentials.txt}, from which this harness reads the API keys. The JDBC baseline runs
 * in this JVM on the same DuckDB file, opened as the server opens it (read-only, no external
 * access). Both JVMs share the machine's cores, as a client and a server on one host do.
 *
 * <p>Why a plain {@code main} and not JMH: the HTTP and JDBC samples are taken alternately, round
 * by round, so that both see the same load on a shared machine, and every figure comes from one
 * server start; JMH runs each benchmark method on its own, one after the other.
 *
 * <p>Run (from the repository root, after {@code ./warden bench -l} has built
 * {@code warden-bench/target/benchmarks.jar}):
 * <pre>
 * java -cp warden-bench/target/benchmarks.jar dev.warden.bench.EndToEnd [--option=value ...]
 * </pre>
 * Options: {@code --server-jar} (default {@code warden-server/target/warden-server-exec.jar}),
 * {@code --port} (default 18480), {@code --data-dir} (default: a fresh temporary directory,
 * deleted afterwards unless {@code --keep-data=true}), {@code --server-java-opts} (e.g. a JFR
 * recording), {@code --scale} (multiplies every iteration count and duration; default 1),
 * {@code --only} (comma-separated: latency, throughput, csv), {@code --warmup-seconds} (default 40),
 * {@code --clients} (default 8).
 */
public final class EndToEnd {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Small aggregate: the README's query, 4 groups over 1M orders (2 for gus). */
    static final String SMALL = """
            {"topic": "orders", "fields": ["orders.region", "orders.count", "orders.total_amount"],
             "sorts": [{"field": "orders.region", "direction": "asc"}], "cache": false}""";
    /** Tiny aggregate: 8 groups over the 1,000 products; nearly no warehouse time. */
    static final String TINY = """
            {"topic": "catalog", "fields": ["products.category", "products.count", "products.average_price"],
             "cache": false}""";
    /** Large: distinct buyers by month, category and tier, two joins; over 100 ms in DuckDB here. */
    static final String LARGE = """
            {"topic": "orders", "fields": ["orders.created_at[month]", "products.category", "users.tier",
             "orders.buyers", "orders.count", "orders.total_amount"], "cache": false}""";
    /** Cached: the small aggregate with the cache on. */
    static final String CACHED = """
            {"topic": "orders", "fields": ["orders.region", "orders.count", "orders.total_amount"],
             "sorts": [{"field": "orders.region", "direction": "asc"}]}""";
    /** Export: one row per real order (969,995 for a person who sees every region). */
    static final String EXPORT = """
            {"topic": "orders", "fields": ["orders.created_at", "orders.status", "orders.region",
             "orders.quantity", "orders.amount"], "limit": 1000000, "cache": false}""";

    private final Map<String, String> opts;
    private final double scale;
    private final int port;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> report = new ArrayList<>();
    private Path dataDir;
    private Process server;
    private Map<String, String> keys;
    private Connection duck;

    private EndToEnd(Map<String, String> opts) {
        this.opts = opts;
        this.scale = Double.parseDouble(opts.getOrDefault("scale", "1"));
        this.port = Integer.parseInt(opts.getOrDefault("port", "18480"));
        this.base = "http://127.0.0.1:" + port;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("options are --name=value, got " + a);
            }
            opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        EndToEnd run = new EndToEnd(opts);
        try {
            run.run();
        } finally {
            run.stop();
        }
    }

    private void run() throws Exception {
        line("# Warden end-to-end benchmark, " + Instant.now());
        line("JVM " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, load average at start: " + loadAverage());
        start();
        warmUp();
        String only = opts.getOrDefault("only", "latency,throughput,csv");
        if (only.contains("latency")) {
            latency();
        }
        if (only.contains("throughput")) {
            throughput();
        }
        if (only.contains("csv")) {
            csv();
        }
        line("load average at end: " + loadAverage());
        System.out.println();
        System.out.println("==================== summary ====================");
        report.forEach(System.out::println);
    }

    // ---------------------------------------------------------------- setup

    private void start() throws Exception {
        Path jar = serverJar();
        dataDir = opts.containsKey("data-dir") ? Path.of(opts.get("data-dir")).toAbsolutePath()
                : Files.createTempDirectory("warden-bench-");
        Files.createDirectories(dataDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String javaOpts = opts.getOrDefault("server-java-opts", "");
        if (!javaOpts.isBlank()) {
            cmd.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
        pb.environment().put("WARDEN_DATA_DIR", dataDir.toString());
        pb.environment().put("WARDEN_PORT", Integer.toString(port));
        pb.environment().put("WARDEN_DEMO", "true");
        line("server: " + String.join(" ", cmd) + " (WARDEN_DATA_DIR=" + dataDir + ", WARDEN_PORT=" + port + ")");
        long t0 = System.nanoTime();
        server = pb.start();
        Path credentials = dataDir.resolve("demo-credentials.txt");
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!(Files.exists(credentials) && healthy())) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited (" + server.exitValue() + "); see " + dataDir.resolve("server.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server did not start in 4 minutes; see " + dataDir.resolve("server.log"));
            }
            Thread.sleep(250);
        }
        line(String.format(Locale.ROOT, "server ready (demo generated) in %.1f s", (System.nanoTime() - t0) / 1e9));
        keys = new HashMap<>();
        for (String l : Files.readAllLines(credentials)) {
            int eq = l.indexOf('=');
            if (!l.startsWith("#") && eq > 0) {
                keys.put(l.substring(0, eq), l.substring(eq + 1).split("\\s+")[0]);
            }
        }
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        p.setProperty("enable_external_access", "false"); // as the server's pool opens it
        duck = DriverManager.getConnection("jdbc:duckdb:" + dataDir.resolve("warehouses/demo/warehouse.duckdb"), p);
    }

    /**
     * The runnable server jar: {@code --server-jar}, else the first of warden-server-exec.jar and
     * warden-server.jar whose manifest starts Warden itself. (A jar repackaged twice starts
     * Spring Boot's launcher again and again, until the stack overflows.)
     */
    private Path serverJar() throws IOException {
        List<Path> candidates = opts.containsKey("server-jar") ? List.of(Path.of(opts.get("server-jar")))
                : List.of(Path.of("warden-server/target/warden-server-exec.jar"), Path.of("warden-server/target/warden-server.jar"));
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                try (var jar = new java.util.jar.JarFile(c.toFile())) {
                    var manifest = jar.getManifest();
                    String start = manifest == null ? null : manifest.getMainAttributes().getValue("Start-Class");
                    if ("dev.warden.server.WardenApplication".equals(start)) {
                        return c.toAbsolutePath();
                    }
                    System.out.println("skipping " + c + ": its Start-Class is " + start);
                }
            }
        }
        throw new IllegalStateException("no runnable server jar among " + candidates + " (build first: ./warden bench -l)");
    }

    /** CPU time the server process has used so far (all threads, user and system), in nanoseconds. */
    private long serverCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/" + server.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime), counted from the state field (3): index 11 and 12
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // USER_HZ = 100
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time this JVM has used so far, in nanoseconds. */
    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private boolean healthy() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void stop() throws Exception {
        if (duck != null) {
            duck.close();
        }
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (dataDir != null && !opts.containsKey("data-dir") && !Boolean.parseBoolean(opts.getOrDefault("keep-data", "false"))) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * A freshly started server runs its first thousands of requests in the interpreter and the
     * JIT's compiler threads take CPU from everything else: warm the query path (uncached, cached,
     * and the JDBC side) before any figure is taken.
     */
    private void warmUp() throws Exception {
        int secs = seconds(Integer.parseInt(opts.getOrDefault("warmup-seconds", "40")));
        String gus = key("GUS");
        long end = System.nanoTime() + secs * 1_000_000_000L;
        long n = 0;
        while (System.nanoTime() < end) {
            post(gus, TINY, "application/json");
            post(gus, CACHED, "application/json");
            jdbc("SELECT category, count(*) FROM main.products GROUP BY 1", List.of());
            n++;
        }
        line(String.format(Locale.ROOT, "warm-up: %d s, %d rounds of (tiny uncached over HTTP, cached over HTTP, tiny over JDBC)", secs, n));
    }

    // ---------------------------------------------------------------- 1. HTTP versus JDBC

    private void latency() throws Exception {
        line("");
        line("## 1. POST /api/v1/query (cache off) versus the same SQL through JDBC, alternating round by round");
        line("person: gus (globex, MODELER, region east and west: the SQL carries his two regions as binds)");
        paired("tiny (catalog by category)", TINY, rounds(300), rounds(50));
        paired("small (orders by region)", SMALL, rounds(300), rounds(50));
        paired("large (buyers by month x category x tier)", LARGE, rounds(40), rounds(8));
    }

    private void paired(String name, String body, int rounds, int warmup) throws Exception {
        String gus = key("GUS");
        JsonNode first = JSON.readTree(post(gus, body, "application/json"));
        String sql = first.get("sql").stringValue();
        List<Object> binds = new ArrayList<>();
        long placeholders = sql.chars().filter(c -> c == '?').count();
        if (placeholders > 0) {
            // gus's region attribute, in the order DemoSetup gives it: the compiler binds these.
            binds.addAll(List.of("east", "west"));
        }
        if (placeholders != binds.size()) {
            throw new IllegalStateException("unexpected binds in " + sql);
        }
        long httpRows = first.get("meta").get("row_count").asLong();
        long jdbcRows = jdbc(sql, binds);
        if (httpRows != jdbcRows) {
            throw new IllegalStateException(name + ": HTTP gave " + httpRows + " rows, JDBC " + jdbcRows);
        }
        long[] h = new long[rounds];
        long[] j = new long[rounds];
        long[] d = new long[rounds];
        long serverCpu0 = 0;
        long ownCpu0 = 0;
        for (int r = -warmup; r < rounds; r++) {
            if (r == 0) {
                serverCpu0 = serverCpuNanos();
                ownCpu0 = ownCpuNanos();
            }
            long hn;
            long jn;
            if ((r & 1) == 0) {
                hn = timeHttp(gus, body);
                jn = timeJdbc(sql, binds);
            } else {
                jn = timeJdbc(sql, binds);
                hn = timeHttp(gus, body);
            }
            if (r >= 0) {
                h[r] = hn;
                j[r] = jn;
                d[r] = hn - jn;
            }
        }
        double serverCpuMs = (serverCpuNanos() - serverCpu0) / 1e6 / rounds;
        double ownCpuMs = (ownCpuNanos() - ownCpu0) / 1e6 / rounds;
        Arrays.sort(h);
        Arrays.sort(j);
        Arrays.sort(d);
        double hm = ms(pct(h, 50));
        double jm = ms(pct(j, 50));
        line(String.format(Locale.ROOT, "%s: %d rows, %d rounds after %d warm-up", name, httpRows, rounds, warmup));
        line(String.format(Locale.ROOT, "  HTTP  median %.2f ms (p10 %.2f, p90 %.2f, p99 %.2f)", hm, ms(pct(h, 10)), ms(pct(h, 90)), ms(pct(h, 99))));
        line(String.format(Locale.ROOT, "  JDBC  median %.2f ms (p10 %.2f, p90 %.2f, p99 %.2f)", jm, ms(pct(j, 10)), ms(pct(j, 90)), ms(pct(j, 99))));
        line(String.format(Locale.ROOT, "  added: median(HTTP) - median(JDBC) = %.2f ms; median of per-round differences = %.2f ms; ratio of medians = %.3f",
                hm - jm, ms(pct(d, 50)), hm / jm));
        line(String.format(Locale.ROOT, "  CPU per round: server process %.2f ms (one HTTP request, warehouse included); "
                + "this JVM %.2f ms (the HTTP client and the JDBC query)", serverCpuMs, ownCpuMs));
    }

    private long timeHttp(String key, String body) throws Exception {
        long t = System.nanoTime();
        byte[] b = post(key, body, "application/json");
        long n = System.nanoTime() - t;
        if (b.length == 0) {
            throw new IllegalStateException("empty response");
        }
        return n;
    }

    private long timeJdbc(String sql, List<Object> binds) throws SQLException {
        long t = System.nanoTime();
        jdbc(sql, binds);
        return System.nanoTime() - t;
    }

    /** Prepares, binds, runs and reads every value of every row, as the server's warehouse path does. */
    private long jdbc(String sql, List<Object> binds) throws SQLException {
        try (PreparedStatement ps = duck.prepareStatement(sql)) {
            for (int i = 0; i < binds.size(); i++) {
                ps.setObject(i + 1, binds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                long rows = 0;
                Object sink = null;
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        sink = rs.getObject(i);
                    }
                    rows++;
                }
                if (sink == Boolean.class) {
                    System.out.print(""); // keeps the reads observable
                }
                return rows;
            }
        }
    }

    // ---------------------------------------------------------------- 2. cached throughput

    private void throughput() throws Exception {
        line("");
        int clients = Integer.parseInt(opts.getOrDefault("clients", "8"));
        line("## 2. Cached query over HTTP, " + clients + " concurrent clients on loopback (keep-alive, HTTP/1.1, java.net.http)");
        String gus = key("GUS");
        post(gus, CACHED, "application/json");
        String second = new String(post(gus, CACHED, "application/json"), StandardCharsets.UTF_8);
        if (!second.contains("\"cache\":\"hit\"")) {
            throw new IllegalStateException("the cached query did not hit the cache: " + second);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/query"))
                .header("Authorization", "Bearer " + gus).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(CACHED)).build();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong misses = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch finished = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                try {
                    long n = 0;
                    while (running.get()) {
                        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            failed.incrementAndGet();
                        } else if ((++n & 255) == 0
                                && !new String(r.body(), StandardCharsets.UTF_8).contains("\"cache\":\"hit\"")) {
                            misses.incrementAndGet();
                        }
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    e.printStackTrace();
                } finally {
                    client.close();
                    finished.countDown();
                }
            }, "client-" + c);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(seconds(10) * 1000L);
        long serverCpu0 = serverCpuNanos();
        long ownCpu0 = ownCpuNanos();
        long count0 = done.get();
        int windows = 5;
        long windowMillis = seconds(6) * 1000L;
        double[] rates = new double[windows];
        for (int w = 0; w < windows; w++) {
            long c0 = done.get();
            long t0 = System.nanoTime();
            Thread.sleep(windowMillis);
            rates[w] = (done.get() - c0) / ((System.nanoTime() - t0) / 1e9);
        }
        long measured = done.get() - count0;
        double serverCpuMs = (serverCpuNanos() - serverCpu0) / 1e6 / measured;
        double ownCpuMs = (ownCpuNanos() - ownCpu0) / 1e6 / measured;
        running.set(false);
        finished.await();
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        StringBuilder each = new StringBuilder();
        for (double r : rates) {
            each.append(each.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", r));
        }
        line(String.format(Locale.ROOT, "after 10 s warm-up, %d windows of %d s: %s requests/s", windows, windowMillis / 1000, each));
        line(String.format(Locale.ROOT, "  median %.0f requests/s (%d requests in all, %d failed, %d of the sampled responses not a cache hit)",
                sorted[windows / 2], done.get(), failed.get(), misses.get()));
        line(String.format(Locale.ROOT, "  CPU per request: server process %.2f ms, client JVM %.2f ms; at that cost two idle cores "
                + "would serve at most %.0f requests/s (server alone)", serverCpuMs, ownCpuMs, 2000 / serverCpuMs));
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " requests failed");
        }
        throughputWithWrk(clients, gus);
    }

    /**
     * The same cached query from wrk (a C load generator, Debian package {@code wrk}) when it is
     * installed: the Java client above spends about half as much CPU per request as the server
     * does, on the same two cores, so this pass says more about what the server itself can serve.
     * Skipped, and said so, when wrk is not on the PATH.
     */
    private void throughputWithWrk(int clients, String key) throws Exception {
        Path script = Files.createTempFile("warden-cached", ".lua");
        try {
            Files.writeString(script, "wrk.method = \"POST\"\n"
                    + "wrk.body = [[" + CACHED.replace('\n', ' ') + "]]\n"
                    + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                    + "wrk.headers[\"Authorization\"] = \"Bearer " + key + "\"\n");
            long seconds = seconds(30);
            List<String> command = List.of("wrk", "-t2", "-c" + clients, "-d" + seconds + "s", "-s", script.toString(),
                    base + "/api/v1/query");
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (java.io.IOException notInstalled) {
                line("  wrk: not installed (apt-get install wrk), so only the Java client's figure above");
                return;
            }
            long serverCpu0 = serverCpuNanos();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            long serverCpu = serverCpuNanos() - serverCpu0;
            java.util.regex.Matcher rate = java.util.regex.Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
            java.util.regex.Matcher total = java.util.regex.Pattern.compile("([0-9]+) requests in").matcher(out);
            if (!rate.find() || !total.find()) {
                throw new IllegalStateException("wrk said: " + out);
            }
            if (out.contains("Non-2xx") || out.contains("Socket errors")) {
                throw new IllegalStateException("wrk saw failures: " + out);
            }
            double perRequest = serverCpu / 1e6 / Long.parseLong(total.group(1));
            line(String.format(Locale.ROOT, "  wrk (-t2 -c%d, %d s, after the run above): %s requests/s; server CPU per request"
                    + " %.2f ms, so two idle cores would serve at most %.0f requests/s", clients, seconds, rate.group(1),
                    perRequest, 2000 / perRequest));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    // ---------------------------------------------------------------- 3. CSV streaming

    private void csv() throws Exception {
        line("");
        line("## 3. CSV export (Accept: text/csv), streamed and counted, never held");
        String ava = key("AVA");
        raiseRowLimit("acme", 2_000_000);
        JsonNode compiled = JSON.readTree(postTo("/api/v1/query/sql", ava, EXPORT, "application/json"));
        if (compiled.get("bind_count").asInt() != 0) {
            throw new IllegalStateException("expected no binds for ava's export: " + compiled);
        }
        String sql = compiled.get("sql").stringValue();
        int runs = rounds(6);
        int warmup = rounds(2);
        String failure = exportFailure(ava);
        if (failure != null) {
            line("person: ava (acme, all regions); the CSV export FAILS: " + failure);
            line("  measuring the JDBC side only");
        }
        long[] httpNanos = new long[runs];
        long[] jdbcNanos = new long[runs];
        long[] serverCpu = new long[runs];
        long rows = -1;
        long bytes = -1;
        for (int r = -warmup; r < runs; r++) {
            long hn = 0;
            long[] counted = null;
            long cpu = 0;
            if (failure == null) {
                long c0 = serverCpuNanos();
                long t = System.nanoTime();
                counted = streamCsv(ava);
                hn = System.nanoTime() - t;
                cpu = serverCpuNanos() - c0;
            }
            long t = System.nanoTime();
            long jrows = jdbc(sql, List.of());
            long jn = System.nanoTime() - t;
            if (counted != null && counted[0] - 1 != jrows) {
                throw new IllegalStateException("CSV gave " + (counted[0] - 1) + " rows, JDBC " + jrows);
            }
            rows = jrows;
            bytes = counted == null ? -1 : counted[1];
            if (r >= 0) {
                httpNanos[r] = hn;
                jdbcNanos[r] = jn;
                serverCpu[r] = cpu;
            }
        }
        StringBuilder each = new StringBuilder();
        for (int r = 0; r < runs; r++) {
            each.append(each.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", httpNanos[r] / 1e9));
        }
        Arrays.sort(httpNanos);
        Arrays.sort(jdbcNanos);
        Arrays.sort(serverCpu);
        double hs = pct(httpNanos, 50) / 1e9;
        double js = pct(jdbcNanos, 50) / 1e9;
        if (failure == null) {
            line(String.format(Locale.ROOT, "person: ava (acme, all regions); %,d rows, %,d bytes of CSV; %d runs after %d warm-up", rows, bytes, runs, warmup));
            line(String.format(Locale.ROOT, "  HTTP CSV  median %.3f s = %,.0f rows/s (%.1f MB/s); fastest %.3f s, slowest %.3f s",
                    hs, rows / hs, bytes / hs / 1e6, httpNanos[0] / 1e9, httpNanos[runs - 1] / 1e9));
            line("  HTTP CSV  each run, in order: " + each + " s");
            line(String.format(Locale.ROOT, "  server CPU per export: median %.3f s (all threads of the server process, "
                    + "DuckDB's included)", pct(serverCpu, 50) / 1e9));
        }
        line(String.format(Locale.ROOT, "  JDBC read median %.3f s = %,.0f rows/s (%,d rows: the same SQL, every value read, nothing written)",
                js, rows / js, rows));
    }

    /** Null when the export answers 200, else the status and body of the answer. */
    private String exportFailure(String key) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/query"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Accept", "text/csv").POST(HttpRequest.BodyPublishers.ofString(EXPORT)).build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() == 200) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                return null;
            }
            return "HTTP " + r.statusCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Returns {lines, bytes}. */
    private long[] streamCsv(String key) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/query"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Accept", "text/csv").POST(HttpRequest.BodyPublishers.ofString(EXPORT)).build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("CSV export: HTTP " + r.statusCode() + " " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        long lines = 0;
        long bytes = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = r.body()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return new long[] {lines, bytes};
    }

    /**
     * Orgs are created with a row limit of 100,000 and no API changes it yet, so the harness
     * raises acme's in the metadata database (H2, through its auto-server) to export a million rows.
     */
    private void raiseRowLimit(String slug, int limit) throws SQLException {
        String url = "jdbc:h2:file:" + dataDir.resolve("metadata") + ";AUTO_SERVER=TRUE;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (Connection h2 = DriverManager.getConnection(url, "warden", ""); Statement s = h2.createStatement()) {
            int n = s.executeUpdate("UPDATE orgs SET row_limit = " + limit + " WHERE slug = '" + slug + "'");
            if (n != 1) {
                throw new IllegalStateException("no org " + slug);
            }
        }
        line("row limit of org " + slug + " raised to " + limit + " in the metadata database (default 100,000; no API for it yet)");
    }

    // ---------------------------------------------------------------- helpers

    private byte[] post(String key, String body, String accept) throws Exception {
        return postTo("/api/v1/query", key, body, accept);
    }

    private byte[] postTo(String path, String key, String body, String accept) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": HTTP " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.body();
    }

    private String key(String person) {
        String k = keys.get(person);
        if (k == null) {
            throw new IllegalStateException("no key for " + person + " in demo-credentials.txt");
        }
        return k;
    }

    private int rounds(int n) {
        return Math.max(1, (int) Math.round(n * scale));
    }

    private int seconds(int n) {
        return Math.max(1, (int) Math.round(n * scale));
    }

    private static long pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void line(String s) {
        System.out.println(s);
        report.add(s);
    }
}
