package dev.warden.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.AccessContext;
import dev.warden.server.access.ActorKind;
import dev.warden.server.access.OrgRole;
import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.connections.Connections;
import dev.warden.server.demo.DemoWarehouse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the end-to-end query tests build: orgs, people with attributes and connection roles,
 * connections and active models, the way an admin does it (connections and models over HTTP;
 * attribute values and connection grants through the same services {@code DemoSetup} uses, as
 * the API has no endpoint for them yet). Also the demo warehouse and the demo orgs of
 * {@code demo/README.md}, built exactly as {@code DemoSetup} builds them.
 */
public final class QueryFixtures {
    /** Numbers as the exact decimals the server wrote, never through a double. */
    public static final JsonMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** The warehouse directory of the test server ({@code warden.data-dir=target/test-data}). */
    public static final Path WAREHOUSES = Path.of("target/test-data/warehouses").toAbsolutePath();

    /**
     * A DuckDB warehouse file under {@link #WAREHOUSES}, made afresh by {@code statements}; its
     * path relative to there is what a connection of type duckdb names.
     */
    public static Path duckdb(String relativePath, String... statements) {
        Path file = WAREHOUSES.resolve(relativePath);
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file); var s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("test warehouse setup failed: " + e.getMessage(), e);
        }
        return file;
    }
    public static final String DEMO_PATH = "demo/warehouse.duckdb";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final Api api;
    private final Fixtures fixtures;
    private final AttributeRepository attributes;
    private final Connections connections;

    public QueryFixtures(int port, Api api, Fixtures fixtures, AttributeRepository attributes, Connections connections) {
        this.port = port;
        this.api = api;
        this.fixtures = fixtures;
        this.attributes = attributes;
        this.connections = connections;
    }

    public Api api() {
        return api;
    }

    /** A fresh org whose attributes {@code names} are defined, multi-valued, without defaults. */
    public Fixtures.TestOrg org(String... names) {
        Fixtures.TestOrg org = fixtures.org();
        for (String name : names) {
            attributes.define(org.id(), new AttributeRepository.Definition(name, "string", true, null, "test attribute"));
        }
        return org;
    }

    public Fixtures.Person person(Fixtures.TestOrg org, OrgRole role, Map<String, List<String>> values) {
        Fixtures.Person p = fixtures.person(org, role);
        setAttributes(org, p, values);
        return p;
    }

    public void setAttributes(Fixtures.TestOrg org, Fixtures.Person person, Map<String, List<String>> values) {
        values.forEach((name, v) -> attributes.setValues(org.id(), person.id(), name, v));
    }

    /** Creates a connection over HTTP as the org's admin; returns its id. */
    public String connection(Fixtures.TestOrg org, Map<String, Object> body) {
        if ("duckdb".equals(body.get("type")) && body.get("path") instanceof String path
                && Files.exists(WAREHOUSES.resolve(path))) {
            // warehouses live in each org's own directory: place the test's file there
            dev.warden.server.demo.DemoOrgs.placeWarehouse(WAREHOUSES.resolve(path),
                    WAREHOUSES.resolve(org.id().toString()).resolve(path));
        }
        Api.Response created = api.post(org.admin().key(), "/api/v1/connections", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").stringValue();
    }

    /** A model on the connection with {@code yaml} as its active version 1; returns its id. */
    public String model(Fixtures.TestOrg org, String connectionId, String name, String yaml) {
        Api.Response created = api.post(org.admin().key(), "/api/v1/models",
                Map.of("name", name, "connection_id", connectionId));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").stringValue();
        Api.Response version = api.send(org.admin().key(), "POST", "/api/v1/models/" + id + "/versions", yaml,
                "application/yaml");
        assertThat(version.status()).as(version.body()).isEqualTo(201);
        Api.Response active = api.post(org.admin().key(), "/api/v1/models/" + id + "/versions/1/activate", null);
        assertThat(active.status()).as(active.body()).isEqualTo(200);
        return id;
    }

    /** Gives a person a role on a connection, as the org's admin. */
    public void grant(Fixtures.TestOrg org, String connectionId, Fixtures.Person person, ConnectionRole role) {
        AccessContext admin = new AccessContext(org.id(), Optional.of(org.admin().id()), org.admin().email(),
                OrgRole.ORG_ADMIN, Map.of(), ActorKind.USER, Optional.empty(), "test-" + UUID.randomUUID());
        connections.grant(admin, UUID.fromString(connectionId), person.id(), role);
    }

    public Api.Response query(Fixtures.Person person, Object body) {
        return api.post(person.key(), "/api/v1/query", body);
    }

    /** {@code POST /api/v1/query} asking for CSV ({@code Accept: text/csv}). */
    public Api.Response csv(String key, Object body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .header("Accept", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(EXACT.writeValueAsString(body)))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The response body with numbers as exact decimals. */
    public static JsonNode exact(Api.Response response) {
        return EXACT.readTree(response.body());
    }

    /** Each row as a list of its cells' JSON text: "north", 291190, 53134328.04 (exact as sent). */
    public static List<List<String>> rows(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode rows = exact(response).get("rows");
        return rows.valueStream().map(r -> r.valueStream().map(QueryFixtures::cell).toList()).toList();
    }

    private static String cell(JsonNode v) {
        if (v.isNull()) {
            return "null";
        }
        if (v.isString()) {
            return v.stringValue();
        }
        if (v.isNumber()) {
            return v.decimalValue().toPlainString();
        }
        return v.toString();
    }

    public static Map<String, Object> query(String topic, List<String> fields, Object... more) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("topic", topic);
        q.put("fields", fields);
        for (int i = 0; i + 1 < more.length; i += 2) {
            q.put((String) more[i], more[i + 1]);
        }
        return q;
    }

    // ---- the demo ----

    /**
     * {@link DemoWarehouse#fingerprint} of the generated demo data. The data is a function of the
     * row numbers only, so this is the same on every machine (for the DuckDB version in use).
     */
    static final String DEMO_FINGERPRINT = """
            products: 1000 13822000 9635349956851572722249
            users: 100000 100000 922799648708234272934739
            orders: 1000000 18262612189 99998 9227386195950162008240647
            orders by region: east 249585 4563922327
            orders by region: north 300314 5479563840
            orders by region: south 248798 4536342070
            orders by region: west 201303 3682783952
            orders by status: complete 700159 12778638387
            orders by status: processing 69904 1279709672
            orders by status: returned 79845 1459201278
            orders by status: shipped 120087 2196502337
            orders by status: test 30005 548560515
            """;

    private static boolean demoReady;

    /**
     * The demo warehouse under the test server's warehouse directory: reused when a file with the
     * demo's fingerprint is there (another test class, or an earlier run, made it), else generated,
     * at most once per JVM.
     */
    public static synchronized void ensureDemoWarehouse() {
        if (demoReady) {
            return;
        }
        Path file = WAREHOUSES.resolve(DEMO_PATH);
        if (!Files.exists(file) || !DEMO_FINGERPRINT.equals(DemoWarehouse.fingerprint(file))) {
            DemoWarehouse.generate(file);
            assertThat(DemoWarehouse.fingerprint(file)).as("the generated demo data").isEqualTo(DEMO_FINGERPRINT);
        }
        demoReady = true;
    }

    /** One demo org: its people by name, and its connection and model ids. */
    public record DemoOrg(Fixtures.TestOrg org, Map<String, Fixtures.Person> people, String connectionId, String modelId) {
        public Fixtures.Person person(String name) {
            return people.get(name);
        }
    }

    /**
     * The "items" model the small end-to-end suites share: one view over {@link #itemsWarehouse},
     * a default row filter on {@code items.region} by the user attribute {@code region} ("all"
     * lifts it), and one topic.
     */
    public static final String ITEMS_MODEL = """
            connection: wh
            default_topic_access_filters:
              - field: items.region
                user_attribute: region
                values_for_unfiltered: [all]
            views:
              items:
                table: main.items
                primary_key: id
                dimensions:
                  id: { type: number, hidden: true }
                  region: { type: string }
                  label: { type: string }
                measures:
                  count: { type: count }
            topics:
              items:
                base_view: items
            """;

    /**
     * A fresh three-row DuckDB warehouse for {@link #ITEMS_MODEL} (two north items, one south),
     * labelled with {@code labels[0..2]}; returns its path relative to {@link #WAREHOUSES}.
     */
    public static String itemsWarehouse(String name, String... labels) {
        String relative = "e2e/" + name + ".duckdb";
        Path file = WAREHOUSES.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file); var s = c.createStatement()) {
                s.execute("CREATE TABLE main.items (id INTEGER, region VARCHAR, label VARCHAR)");
                try (var insert = c.prepareStatement("INSERT INTO main.items VALUES (1, 'north', ?), (2, 'north', ?), (3, 'south', ?)")) {
                    for (int i = 0; i < 3; i++) {
                        insert.setString(i + 1, labels[i]);
                    }
                    insert.executeUpdate();
                }
            }
        } catch (java.io.IOException | java.sql.SQLException e) {
            throw new IllegalStateException("could not create the test warehouse " + relative, e);
        }
        return relative;
    }

    /** A demo org ("acme" or "globex") in a fresh test org: connection, model, people, roles, attributes. */
    public DemoOrg demoOrg(String which) {
        ensureDemoWarehouse();
        Fixtures.TestOrg org = org("region", "department", "pii_access");
        String connection = connection(org, Map.of("name", "demo_warehouse", "type", "duckdb", "path", DEMO_PATH,
                "statement_timeout_seconds", 60, "max_pool_size", 4, "base_role", "NO_ACCESS"));
        String model = model(org, connection, "shop", resource("/demo/model.yaml"));
        Map<String, Fixtures.Person> people = new LinkedHashMap<>();
        for (dev.warden.server.demo.DemoOrgs.Plan p : dev.warden.server.demo.DemoOrgs.plan(which)) {
            Fixtures.Person person = p.orgRole() == OrgRole.ORG_ADMIN && people.isEmpty() ? org.admin()
                    : fixtures.person(org, p.orgRole());
            setAttributes(org, person, p.attributes());
            if (p.connectionRole() != null) {
                grant(org, connection, person, p.connectionRole());
            }
            people.put(p.name(), person);
        }
        return new DemoOrg(org, people, connection, model);
    }

    public static String resource(String path) {
        try (InputStream in = QueryFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
