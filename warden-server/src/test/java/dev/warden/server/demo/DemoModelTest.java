package dev.warden.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.warden.semantic.compile.Compilation;
import dev.warden.semantic.compile.QueryCompiler;
import dev.warden.semantic.compile.VisibleMetadata;
import dev.warden.semantic.model.AccessFilter;
import dev.warden.semantic.model.AttributeUsage;
import dev.warden.semantic.model.Dimension;
import dev.warden.semantic.model.Measure;
import dev.warden.semantic.model.MeasureType;
import dev.warden.semantic.model.ModelLoad;
import dev.warden.semantic.model.ModelLoader;
import dev.warden.semantic.model.ModelProblem;
import dev.warden.semantic.model.Relationship;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.model.Timeframe;
import dev.warden.semantic.model.Topic;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.semantic.policy.Policy;
import dev.warden.semantic.query.QueryParser;
import dev.warden.semantic.sql.Dialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo model validates, uses every governance feature of MODEL.md, and gives each demo person
 * of {@code demo/README.md} exactly the rows and fields the README promises, on the generated
 * demo warehouse.
 */
class DemoModelTest {
    private static final String YAML = resource("/demo/model.yaml");
    private static final Set<String> ATTRIBUTES = Set.of("region", "department", "pii_access");

    // The demo people of demo/README.md. ORG_ADMIN is CONNECTION_ADMIN on every connection (DESIGN.md 1).
    static final Policy AVA = person(ConnectionRole.CONNECTION_ADMIN, Map.of("region", List.of("all"),
            "department", List.of("exec"), "pii_access", List.of("yes")));
    static final Policy BEN = person(ConnectionRole.QUERIER, Map.of("region", List.of("north"), "department", List.of("sales")));
    static final Policy CARA = person(ConnectionRole.RESTRICTED_QUERIER, Map.of("region", List.of("south"),
            "department", List.of("finance")));
    static final Policy DAN = person(ConnectionRole.VIEWER, Map.of("region", List.of("east"), "department", List.of("sales")));
    static final Policy GWEN = person(ConnectionRole.CONNECTION_ADMIN, Map.of("region", List.of("all"),
            "department", List.of("ops"), "pii_access", List.of("no")));
    static final Policy GUS = person(ConnectionRole.MODELER, Map.of("region", List.of("east", "west"),
            "department", List.of("finance"), "pii_access", List.of("yes")));
    static final Policy GIA = person(ConnectionRole.RESTRICTED_QUERIER, Map.of("department", List.of("support")));

    private static final SemanticModel model = loaded(ModelLoader.load(YAML)).model();

    @TempDir
    static Path dir;
    private static Connection duckdb;

    private static Policy person(ConnectionRole role, Map<String, List<String>> attributes) {
        return new Policy(attributes, Map.of(), role);
    }

    private static ModelLoad.Loaded loaded(ModelLoad load) {
        if (load instanceof ModelLoad.Invalid invalid) {
            throw new AssertionError("the demo model is invalid: " + invalid.problems());
        }
        return (ModelLoad.Loaded) load;
    }

    @Test
    void validatesAndItsOnlyWarningIsTheDeliberateOptOut() {
        ModelLoad.Loaded load = loaded(ModelLoader.load(YAML, ATTRIBUTES));

        assertThat(load.model().connection()).isEqualTo("demo_warehouse");
        assertThat(load.warnings()).singleElement().extracting(ModelProblem::message)
                .isEqualTo("topic 'catalog' opts out of the default access filters with an empty list");
    }

    @Test
    void needsExactlyTheDemoOrgsAttributes() {
        assertThat(model.usedAttributes()).isEqualTo(ATTRIBUTES);
        // Checked against the org's attributes, one missing attribute is a problem.
        assertThat(ModelLoader.load(YAML, Set.of("region", "department"))).isInstanceOf(ModelLoad.Invalid.class);
    }

    @Test
    void defaultAccessFilterIsInheritedByTopicsThatSayNothing() {
        AccessFilter byRegion = new AccessFilter("orders", "region", "region", List.of("all"));

        assertThat(model.usagesOf("region")).contains(
                new AttributeUsage("region", "default_topic_access_filters", "access_filter"),
                new AttributeUsage("region", "topic orders", "access_filter"),
                new AttributeUsage("region", "topic finance", "access_filter"));
        assertThat(model.topic("orders").orElseThrow().accessFilters()).containsExactly(byRegion);
        assertThat(model.topic("finance").orElseThrow().accessFilters()).containsExactly(byRegion);
        // Inherited, not restated: the YAML of these topics has no access_filters.
        assertThat(topicYaml("orders")).doesNotContainKey("access_filters");
        assertThat(topicYaml("finance")).doesNotContainKey("access_filters");
    }

    @Test
    void oneTopicReplacesTheDefaultFilterAndOneOptsOut() {
        assertThat(model.topic("customers").orElseThrow().accessFilters())
                .containsExactly(new AccessFilter("users", "region", "region", List.of("all")));
        assertThat(model.topic("catalog").orElseThrow().accessFilters()).isEmpty();
        assertThat(topicYaml("catalog")).containsEntry("access_filters", List.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> topicYaml(String topic) {
        Map<String, Object> root = new org.yaml.snakeyaml.Yaml().load(YAML);
        return (Map<String, Object>) ((Map<String, Object>) root.get("topics")).get(topic);
    }

    @Test
    void grantsOnFieldsViewsAndTopics() {
        assertThat(model.accessGrants()).containsOnlyKeys("finance_only", "pii");
        assertThat(model.accessGrants().get("finance_only").userAttribute()).isEqualTo("department");
        assertThat(model.accessGrants().get("finance_only").allowedValues()).containsExactly("finance", "exec");
        assertThat(model.accessGrants().get("pii").userAttribute()).isEqualTo("pii_access");
        assertThat(model.accessGrants().get("pii").allowedValues()).containsExactly("yes");

        assertThat(model.field("users", "email").orElseThrow().requiredAccessGrants()).containsExactly("pii");
        assertThat(model.field("orders", "gross_margin").orElseThrow().requiredAccessGrants()).containsExactly("finance_only");
        assertThat(model.field("orders", "cost").orElseThrow().requiredAccessGrants()).containsExactly("finance_only");
        assertThat(model.views().get("customer_value").requiredAccessGrants()).containsExactly("finance_only");
        assertThat(model.topic("finance").orElseThrow().requiredAccessGrants()).containsExactly("finance_only");
        assertThat(model.topic("orders").orElseThrow().requiredAccessGrants()).isEmpty();
    }

    @Test
    void topicsShowAlwaysWhereCurationAllowListAndJoins() {
        Topic orders = model.topic("orders").orElseThrow();
        Topic customers = model.topic("customers").orElseThrow();
        Topic finance = model.topic("finance").orElseThrow();

        assertThat(orders.alwaysWhere()).hasValueSatisfying(t -> assertThat(t.source()).isEqualTo("${orders.status} <> 'test'"));
        assertThat(finance.alwaysWhere()).isPresent();
        assertThat(orders.curated()).isTrue();
        assertThat(customers.curated()).isFalse();
        assertThat(finance.fields()).hasValueSatisfying(f -> assertThat(f).contains("orders.gross_margin")
                .doesNotContain("orders.id", "orders.buyers"));
        assertThat(orders.fields()).isEmpty();

        assertThat(orders.joins().get("users").relationship()).isEqualTo(Relationship.MANY_TO_ONE);
        assertThat(orders.joins().get("products").relationship()).isEqualTo(Relationship.MANY_TO_ONE);
        assertThat(customers.baseView()).isEqualTo("users");
        assertThat(customers.joins().get("orders").relationship()).isEqualTo(Relationship.ONE_TO_MANY);
        assertThat(customers.joins().get("customer_value").relationship()).isEqualTo(Relationship.ONE_TO_ONE);
    }

    @Test
    void fieldsShowHidingTimeframesAndEveryKindOfMeasure() {
        assertThat(model.field("orders", "id").orElseThrow().hidden()).isTrue();
        assertThat(model.field("orders", "status").orElseThrow().hidden()).isFalse();
        Dimension createdAt = (Dimension) model.field("orders", "created_at").orElseThrow();
        assertThat(createdAt.timeframes()).contains(Timeframe.MONTH, Timeframe.QUARTER, Timeframe.YEAR);

        Measure completed = (Measure) model.field("orders", "completed_orders").orElseThrow();
        assertThat(completed.filters()).singleElement().satisfies(f -> {
            assertThat(f.dimension()).isEqualTo("status");
            assertThat(f.values()).containsExactly("complete");
        });
        assertThat(((Measure) model.field("orders", "buyers").orElseThrow()).type()).isEqualTo(MeasureType.COUNT_DISTINCT);
        assertThat(((Measure) model.field("orders", "return_rate").orElseThrow()).type()).isEqualTo(MeasureType.NUMBER);
        assertThat(model.views().get("customer_value").derivedSql()).isPresent();
        assertThat(model.field("orders", "total_amount").orElseThrow().label()).isEqualTo("Revenue");
        assertThat(model.views().get("orders").description()).isPresent();
        assertThat(model.topics().values()).allSatisfy(t -> assertThat(t.description()).isPresent());
    }

    @Test
    void eachPersonIsOfferedTheTopicsTheReadmePromises() {
        assertThat(topicsOf(AVA)).containsExactly("orders", "customers", "finance", "catalog");
        assertThat(topicsOf(BEN)).containsExactly("orders", "customers", "catalog");
        assertThat(topicsOf(CARA)).containsExactly("orders", "finance", "catalog");
        assertThat(topicsOf(DAN)).isEmpty();
        assertThat(topicsOf(GWEN)).containsExactly("orders", "customers", "catalog");
        assertThat(topicsOf(GUS)).containsExactly("orders", "customers", "finance", "catalog");
        assertThat(topicsOf(GIA)).containsExactly("orders", "catalog");
    }

    private static List<String> topicsOf(Policy policy) {
        return VisibleMetadata.of(model, policy).topics().stream().map(VisibleMetadata.VisibleTopic::name).toList();
    }

    private static String resource(String path) {
        try (InputStream in = DemoModelTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- the model compiled and run on the generated demo warehouse ----

    @BeforeAll
    static void generate() throws SQLException {
        Path file = dir.resolve("demo.duckdb");
        DemoWarehouse.generate(file);
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        duckdb = DriverManager.getConnection("jdbc:duckdb:" + file, readOnly);
    }

    @AfterAll
    static void close() throws SQLException {
        duckdb.close();
    }

    @Test
    void oneQueryPerTopicRunsForSomeoneWhoMaySeeEverything() {
        assertThat(run(AVA, """
                {"topic": "orders", "fields": ["orders.created_at[month]", "orders.count", "orders.total_amount",
                 "orders.buyers", "orders.return_rate", "orders.gross_margin", "users.count", "products.count"]}"""))
                .hasSize(24);
        assertThat(run(AVA, """
                {"topic": "customers", "fields": ["users.tier", "users.count", "users.pro_customers", "orders.count",
                 "customer_value.average_lifetime_amount"]}"""))
                .hasSize(3);
        assertThat(run(AVA, """
                {"topic": "finance", "fields": ["products.category", "orders.total_amount", "orders.total_cost",
                 "orders.margin_rate"], "filters": [{"field": "orders.created_at[year]", "op": "eq", "values": ["2025-01-01"]}]}"""))
                .hasSize(8);
        assertThat(run(AVA, """
                {"topic": "catalog", "fields": ["products.category", "products.count", "products.average_price",
                 "products.unit_cost"], "limit": 5000}"""))
                .hasSizeGreaterThan(8);
    }

    @Test
    void customersAreCountedOnceHoweverManyOrdersTheyPlaced() throws SQLException {
        List<List<String>> rows = run(AVA, """
                {"topic": "customers", "fields": ["users.count", "orders.count"]}""");

        long users = scalar("SELECT count(*) FROM main.users");
        long realOrders = scalar("SELECT count(*) FROM main.orders WHERE status <> 'test'");
        assertThat(users).isEqualTo(DemoWarehouse.USERS);
        assertThat(realOrders).isEqualTo(969_995);
        assertThat(rows).containsExactly(List.of(Long.toString(users), Long.toString(realOrders)));
        // Four customers have no real order: the join must not lose them either.
        assertThat(scalar("""
                SELECT count(*) FROM main.users u
                WHERE NOT EXISTS (SELECT 1 FROM main.orders o WHERE o.user_id = u.id AND o.status <> 'test')"""))
                .isEqualTo(4);
        assertThat(scalar("SELECT count(*) FROM main.orders WHERE status = 'test'")).isEqualTo(30_005);
    }

    @Test
    void customersPerHomeRegionMatchPlainSql() throws SQLException {
        List<List<String>> rows = run(BEN, """
                {"topic": "customers", "fields": ["users.region", "users.count", "orders.count"]}""");

        assertThat(rows).containsExactly(List.of("north", Long.toString(scalar("SELECT count(*) FROM main.users WHERE region = 'north'")),
                Long.toString(scalar("""
                        SELECT count(*) FROM main.orders o JOIN main.users u ON u.id = o.user_id
                        WHERE u.region = 'north' AND o.status <> 'test'"""))));
    }

    private static final String ORDERS_BY_REGION = """
            {"topic": "orders", "fields": ["orders.region", "orders.count", "orders.total_amount"],
             "sorts": [{"field": "orders.region", "direction": "asc"}]}""";

    @Test
    void ordersByRegionAreExactlyThePersonsRegions() throws SQLException {
        List<String> east = List.of("east", "242102", "44289854.89");
        List<String> north = List.of("north", "291190", "53134328.04");
        List<String> south = List.of("south", "241379", "43990864.42");
        List<String> west = List.of("west", "195324", "35725469.39");
        // The figures of demo/README.md, and the same figures computed with plain SQL.
        assertThat(plainOrdersByRegion()).containsExactly(east, north, south, west);

        assertThat(run(AVA, ORDERS_BY_REGION)).containsExactly(east, north, south, west);
        assertThat(run(BEN, ORDERS_BY_REGION)).containsExactly(north);
        assertThat(run(CARA, ORDERS_BY_REGION)).containsExactly(south);
        assertThat(run(GWEN, ORDERS_BY_REGION)).containsExactly(east, north, south, west);
        assertThat(run(GUS, ORDERS_BY_REGION)).containsExactly(east, west);
        assertThat(refusal(DAN, ORDERS_BY_REGION)).isEqualTo("Your role on this connection does not allow running queries.");
        assertThat(refusal(GIA, ORDERS_BY_REGION)).contains("no value for the user attribute \"region\"");
    }

    @Test
    void grantsDecideWhichFieldsAndTopicsExist() throws SQLException {
        String emails = """
                {"topic": "customers", "fields": ["users.email"], "limit": 3}""";
        assertThat(run(AVA, emails)).hasSize(3);
        assertThat(run(GUS, emails)).allSatisfy(r -> assertThat(r.get(0)).endsWith("@example.com"));
        assertThat(refusal(BEN, emails)).isEqualTo("Unknown field \"users.email\" in topic \"customers\".");
        assertThat(refusal(GWEN, emails)).isEqualTo("Unknown field \"users.email\" in topic \"customers\".");
        assertThat(refusal(CARA, emails)).isEqualTo("Unknown topic \"customers\".");

        String margin = """
                {"topic": "orders", "fields": ["orders.gross_margin"]}""";
        // Cara's margin is the south's only, as plain SQL computes it.
        assertThat(run(CARA, margin)).containsExactly(List.of("18462184.95"));
        assertThat(scalar("""
                SELECT sum(amount_cents - cost_cents) FROM main.orders WHERE status <> 'test' AND region = 'south'"""))
                .isEqualTo(1_846_218_495L);
        assertThat(refusal(BEN, margin)).isEqualTo("Unknown field \"orders.gross_margin\" in topic \"orders\".");
        assertThat(refusal(BEN, """
                {"topic": "finance", "fields": ["orders.total_amount"]}""")).isEqualTo("Unknown topic \"finance\".");
        assertThat(refusal(BEN, """
                {"topic": "customers", "fields": ["customer_value.lifetime_orders"]}"""))
                .isEqualTo("Unknown field \"customer_value.lifetime_orders\" in topic \"customers\".");
        // The allow-list: a field of a joined view that the finance topic does not offer.
        assertThat(refusal(GUS, """
                {"topic": "finance", "fields": ["orders.buyers"]}""")).isEqualTo("Unknown field \"orders.buyers\" in topic \"finance\".");
        // The catalog opted out of the region filter: someone without a region still sees every product.
        assertThat(run(GIA, """
                {"topic": "catalog", "fields": ["products.count"]}""")).containsExactly(List.of(Long.toString(DemoWarehouse.PRODUCTS)));
    }

    private static List<List<String>> plainOrdersByRegion() throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT region, count(*), sum(amount_cents) FROM main.orders WHERE status <> 'test'
                GROUP BY region ORDER BY region""")) {
            while (rs.next()) {
                out.add(List.of(rs.getString(1), Long.toString(rs.getLong(2)),
                        BigDecimal.valueOf(rs.getLong(3), 2).stripTrailingZeros().toPlainString()));
            }
        }
        return out;
    }

    private static long scalar(String sql) throws SQLException {
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static String refusal(Policy policy, String query) {
        Compilation c = QueryCompiler.compile(model, QueryParser.parse(query), policy, Dialect.DUCKDB, 100_000);
        assertThat(c).isInstanceOf(Compilation.Refused.class);
        return ((Compilation.Refused) c).publicMessage();
    }

    /** Compiles for the person and runs with the binds, up to the limit; numbers rounded to cents, as money is shown. */
    private static List<List<String>> run(Policy policy, String query) {
        Compilation c = QueryCompiler.compile(model, QueryParser.parse(query), policy, Dialect.DUCKDB, 100_000);
        if (!(c instanceof Compilation.Compiled compiled)) {
            throw new AssertionError("refused: " + ((Compilation.Refused) c).publicMessage());
        }
        try (PreparedStatement p = duckdb.prepareStatement(compiled.sql())) {
            for (int i = 0; i < compiled.binds().size(); i++) {
                p.setObject(i + 1, compiled.binds().get(i));
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                // As the server does: the SQL fetches one row more than the limit, to detect truncation.
                while (rows.size() < compiled.effectiveLimit() && rs.next()) {
                    List<String> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.add(v instanceof Number num
                                ? new BigDecimal(num.toString()).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
                                : String.valueOf(v));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError("failed: " + compiled.sql() + " with " + compiled.binds() + ": " + e.getMessage(), e);
        }
    }
}
