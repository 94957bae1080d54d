package dev.warden.semantic.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.warden.semantic.Fixtures;
import dev.warden.semantic.execution.Engine;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.semantic.policy.Policy;
import dev.warden.semantic.query.QueryParser;
import dev.warden.semantic.sql.Dialect;

/** Each rule of MODEL.md's governance section, with a test that tries to break it. */
class GovernanceTest {
    private static final SemanticModel SHOP = Fixtures.shopModel();
    private static final Policy ALL = Fixtures.querier(Map.of("region", List.of("all")));
    private static final Policy EU = Fixtures.querier(Map.of("region", List.of("eu")));

    private static Compilation compile(SemanticModel model, String query, Policy policy) {
        return QueryCompiler.compile(model, QueryParser.parse(query), policy, Dialect.POSTGRESQL, 100_000);
    }

    private static Compilation compile(String query, Policy policy) {
        return compile(SHOP, query, policy);
    }

    private static Compilation.Compiled compiled(String query, Policy policy) {
        Compilation c = compile(query, policy);
        assertThat(c).as("expected SQL, got %s", c).isInstanceOf(Compilation.Compiled.class);
        return (Compilation.Compiled) c;
    }

    private static String refusal(String query, Policy policy) {
        Compilation c = compile(query, policy);
        assertThat(c).as("expected a refusal, got %s", c).isInstanceOf(Compilation.Refused.class);
        return ((Compilation.Refused) c).publicMessage();
    }

    private static String select(String topic, String... fields) {
        return "{\"topic\":\"" + topic + "\",\"fields\":[\"" + String.join("\",\"", fields) + "\"]}";
    }

    /** A denied name is refused with exactly the message of a name that was never defined. */
    private static void looksUnknown(String deniedQuery, String neverDefinedQuery, String denied, String neverDefined, Policy p) {
        String deniedMessage = refusal(deniedQuery, p);
        String unknownMessage = refusal(neverDefinedQuery, p);
        assertThat(deniedMessage.replace(denied, "NAME")).isEqualTo(unknownMessage.replace(neverDefined, "NAME"));
    }

    @Test
    void selectingAFieldHiddenByGrantLooksExactlyLikeAnUnknownField() {
        looksUnknown(select("orders", "orders.internal_code"), select("orders", "orders.no_such_field"),
                "orders.internal_code", "orders.no_such_field", ALL);
        assertThat(refusal(select("orders", "orders.internal_code"), ALL))
                .isEqualTo("Unknown field \"orders.internal_code\" in topic \"orders\".");
        compiled(select("orders", "orders.internal_code"), Fixtures.querier(Map.of("region", List.of("all"), "department", List.of("ops"))));
    }

    @Test
    void filteringOrSortingOnADeniedFieldIsDeniedTheSameWay() {
        String filter = """
                {"topic":"orders","fields":["orders.count"],"filters":[{"field":"users.email","op":"eq","values":["a@b.c"]}]}""";
        String unknownFilter = """
                {"topic":"orders","fields":["orders.count"],"filters":[{"field":"users.mail","op":"eq","values":["a@b.c"]}]}""";
        looksUnknown(filter, unknownFilter, "users.email", "users.mail", ALL);
        String sort = """
                {"topic":"orders","fields":["orders.count"],"sorts":[{"field":"orders.margin"}]}""";
        looksUnknown(sort, select("orders", "orders.nope"), "orders.margin", "orders.nope", ALL);
        // Even an is_null probe on a denied field is refused: it would reveal which rows hold a value.
        assertThat(refusal("""
                {"topic":"orders","fields":["orders.count"],"filters":[{"field":"orders.internal_code","op":"is_null"}]}""", ALL))
                .startsWith("Unknown field");
    }

    @Test
    void aFieldReferencingAHiddenFieldIsDeniedTransitively() {
        // code_prefix's SQL uses internal_code; codes (a measure) aggregates it; margin_per_order uses margin.
        for (String f : List.of("orders.code_prefix", "orders.codes", "orders.margin_per_order", "orders.margin")) {
            assertThat(refusal(select("orders", f), ALL)).isEqualTo("Unknown field \"" + f + "\" in topic \"orders\".");
        }
        Policy ops = Fixtures.querier(Map.of("region", List.of("all"), "department", List.of("ops")));
        compiled(select("orders", "orders.code_prefix", "orders.codes"), ops);
        Policy finance = Fixtures.querier(Map.of("region", List.of("all"), "department", List.of("finance")));
        compiled(select("orders", "orders.margin_per_order"), finance);
        assertThat(refusal(select("orders", "orders.codes"), finance)).startsWith("Unknown field");
    }

    @Test
    void aGrantPassesWhenAnyValueOfTheAttributeIsAllowed() {
        Policy twoDepartments = Fixtures.querier(Map.of("region", List.of("all"), "department", List.of("sales", "exec")));
        compiled(select("orders", "orders.margin"), twoDepartments);
        Policy pii = Fixtures.querier(Map.of("region", List.of("all"), "pii_access", List.of("yes")));
        compiled(select("orders", "users.email"), pii);
        // Exact comparison: "Yes" is not "yes".
        assertThat(refusal(select("orders", "users.email"), Fixtures.querier(Map.of("region", List.of("all"),
                "pii_access", List.of("Yes", " yes"))))).startsWith("Unknown field");
    }

    @Test
    void aTopicDeniedByGrantLooksExactlyLikeAnUnknownTopic() {
        looksUnknown(select("finance", "orders.count"), select("nonexistent", "orders.count"), "finance", "nonexistent", ALL);
        compiled(select("finance", "orders.count"), Fixtures.querier(Map.of("region", List.of("all"), "department", List.of("finance"))));
    }

    @Test
    void aTopicsFieldAllowListHidesOtherFields() {
        Policy finance = Fixtures.querier(Map.of("region", List.of("all"), "department", List.of("finance")));
        assertThat(refusal(select("finance", "orders.note"), finance)).isEqualTo("Unknown field \"orders.note\" in topic \"finance\".");
        assertThat(refusal(select("finance", "users.name"), finance)).startsWith("Unknown field");
    }

    @ParameterizedTest
    @ValueSource(strings = {"absent", "empty"})
    void aMissingOrEmptyAttributeWithoutDefaultIsRefused(String how) {
        Policy p = how.equals("absent") ? Fixtures.querier(Map.of()) : Fixtures.querier(Map.of("region", List.of()));
        assertThat(refusal(select("orders", "orders.count"), p)).contains("no value for the user attribute \"region\"");
        // And never widened by selecting something else, or another view.
        assertThat(refusal(select("orders", "users.name"), p)).contains("\"region\"");
    }

    @Test
    void anAttributeDefaultAppliesWhenThePersonHasNoValue() {
        Policy p = new Policy(Map.of(), Map.of("region", List.of("apac")), ConnectionRole.QUERIER);
        Compilation.Compiled c = compiled(select("orders", "orders.count"), p);
        assertThat(c.binds()).containsExactly("apac");
        // The person's own value wins over the default.
        Policy own = new Policy(Map.of("region", List.of("eu")), Map.of("region", List.of("apac")), ConnectionRole.QUERIER);
        assertThat(compiled(select("orders", "orders.count"), own).binds()).containsExactly("eu");
    }

    @Test
    void aListAttributeFillsInAndIsRefusedWhereOneValueIsExpected() {
        Compilation.Compiled regional = compiled(select("regional", "orders.count"),
                Fixtures.querier(Map.of("region", List.of("eu", "us"))));
        assertThat(regional.sql()).contains("(\"orders\".\"region\") IN (?, ?)");
        assertThat(regional.binds()).containsExactly("eu", "us");
        assertThat(refusal(select("single_status", "orders.count"), Fixtures.querier(Map.of("home_status", List.of("a", "b")))))
                .contains("\"home_status\" has several values where the model expects one");
        assertThat(compiled(select("single_status", "orders.count"), Fixtures.querier(Map.of("home_status", List.of("a")))).binds())
                .containsExactly("a");
        assertThat(refusal(select("single_status", "orders.count"), Fixtures.querier(Map.of())))
                .contains("no value for the user attribute \"home_status\"");
    }

    @Test
    void multipleAttributeValuesFilterToAllOfThem() {
        Compilation.Compiled c = compiled(select("orders", "orders.count"), Fixtures.querier(Map.of("region", List.of("eu", "us"))));
        assertThat(c.sql()).contains("\"orders\".\"region\" IN (?, ?)");
        assertThat(c.binds()).containsExactly("eu", "us");
    }

    @Test
    void valuesForUnfilteredLiftOnlyThatFilter() {
        Compilation.Compiled all = compiled(select("orders", "orders.count"), Fixtures.querier(Map.of("region", List.of("eu", "all"))));
        assertThat(all.sql()).doesNotContain("\"region\"").contains("<> 'test'");
        assertThat(all.binds()).isEmpty();
        // "ALL" is not "all".
        assertThat(compiled(select("orders", "orders.count"), Fixtures.querier(Map.of("region", List.of("ALL")))).binds())
                .containsExactly("ALL");
    }

    @Test
    void accessFiltersAndAlwaysWhereApplyWhateverIsSelected() {
        for (String field : List.of("orders.count", "users.name", "order_items.sku", "users.count", "orders.created_at[year]")) {
            Compilation.Compiled c = compiled(select("orders", field), EU);
            assertThat(c.sql()).as(field).contains("\"orders\".\"region\" = ?").contains("(\"orders\".\"status\") <> 'test'");
            assertThat(c.binds()).as(field).contains("eu");
        }
    }

    @Test
    void theQueryCannotRemoveAlwaysWhereOrTheAccessFilter() {
        Engine duck = Engine.all().get(0);
        Compilation.Compiled testRows = (Compilation.Compiled) QueryCompiler.compile(SHOP, QueryParser.parse("""
                {"topic":"orders","fields":["orders.status","orders.count"],
                 "filters":[{"field":"orders.status","op":"eq","values":["test"]}]}"""), ALL, duck.dialect(), 100);
        assertThat(duck.run(testRows)).isEmpty();
        Compilation.Compiled otherRegion = (Compilation.Compiled) QueryCompiler.compile(SHOP, QueryParser.parse("""
                {"topic":"orders","fields":["orders.region","orders.count"],
                 "filters":[{"field":"orders.region","op":"in","values":["us","apac","all"]}]}"""), EU, duck.dialect(), 100);
        assertThat(duck.run(otherRegion)).isEmpty();
        Compilation.Compiled mine = (Compilation.Compiled) QueryCompiler.compile(SHOP, QueryParser.parse("""
                {"topic":"orders","fields":["orders.region","orders.count"]}"""), EU, duck.dialect(), 100);
        assertThat(duck.run(mine)).extracting(r -> r.get(0)).containsExactly("eu");
    }

    @Test
    void accessFiltersPullInTheJoinsTheyNeed() {
        SemanticModel model = Fixtures.model("""
                connection: c
                views:
                  orders:
                    table: orders
                    primary_key: id
                    dimensions:
                      id: { type: number }
                      user_id: { type: number }
                    measures:
                      count: { type: count }
                  users:
                    table: users
                    primary_key: id
                    dimensions:
                      id: { type: number }
                      region: { type: string }
                topics:
                  orders:
                    base_view: orders
                    joins:
                      users: { on: "${orders.user_id} = ${users.id}", relationship: many_to_one }
                    access_filters:
                      - { field: users.region, user_attribute: region }
                """);
        Compilation.Compiled c = (Compilation.Compiled) compile(model, select("orders", "orders.count"), EU);
        assertThat(c.sql()).contains("LEFT JOIN \"users\"").contains("\"users\".\"region\" = ?");
    }

    @Test
    void onlyTheJoinsAQueryNeeds() {
        assertThat(compiled(select("orders", "orders.status", "orders.count"), ALL).sql()).doesNotContain("JOIN");
        assertThat(compiled(select("orders", "users.name", "orders.count"), ALL).sql()).contains("JOIN \"users\"")
                .doesNotContain("order_items");
        String filterOnly = """
                {"topic":"orders","fields":["orders.count"],"filters":[{"field":"order_items.sku","op":"eq","values":["sku1"]}]}""";
        assertThat(compiled(filterOnly, ALL).sql()).contains("JOIN \"order_items\"").doesNotContain("\"users\"");
    }

    @Test
    void restrictedQuerierOnlyOnCuratedTopics() {
        Policy restricted = Fixtures.policy(ConnectionRole.RESTRICTED_QUERIER, Map.of("region", List.of("all")));
        compiled(select("orders", "orders.count"), restricted);
        looksUnknown(select("users", "users.count"), select("nothing", "users.count"), "users", "nothing", restricted);
        compiled(select("users", "users.count"), ALL);
    }

    @ParameterizedTest
    @EnumSource(value = ConnectionRole.class, names = {"NO_ACCESS", "VIEWER"})
    void viewersAndNoAccessCannotQuery(ConnectionRole role) {
        assertThat(refusal(select("orders", "orders.count"), Fixtures.policy(role, Map.of("region", List.of("all")))))
                .contains("does not allow running queries");
    }

    @Test
    void roleLadder() {
        assertThat(ConnectionRole.CONNECTION_ADMIN.atLeast(ConnectionRole.MODELER)).isTrue();
        assertThat(ConnectionRole.RESTRICTED_QUERIER.atLeast(ConnectionRole.QUERIER)).isFalse();
        assertThat(ConnectionRole.VIEWER.atLeast(ConnectionRole.NO_ACCESS)).isTrue();
        assertThat(ConnectionRole.values()).containsExactly(ConnectionRole.NO_ACCESS, ConnectionRole.VIEWER,
                ConnectionRole.RESTRICTED_QUERIER, ConnectionRole.QUERIER, ConnectionRole.MODELER, ConnectionRole.CONNECTION_ADMIN);
    }

    @Test
    void attributeValuesNeverBecomeSqlText() {
        String hostile = "eu' OR '1'='1' --";
        Compilation.Compiled c = compiled(select("orders", "orders.count"), Fixtures.querier(Map.of("region", List.of(hostile))));
        assertThat(c.sql()).doesNotContain("OR '1'");
        assertThat(c.binds()).containsExactly(hostile);
    }

    @Test
    void anAttributeValueThatCannotMatchTheColumnTypeShowsNoRowsNeverAllRows() {
        SemanticModel model = Fixtures.model("""
                connection: c
                views:
                  t:
                    table: t
                    dimensions:
                      tenant: { type: number }
                    measures:
                      count: { type: count }
                topics:
                  t:
                    base_view: t
                    access_filters:
                      - { field: t.tenant, user_attribute: tenant }
                """);
        Compilation.Compiled c = (Compilation.Compiled) compile(model, select("t", "t.count"), Fixtures.querier(Map.of("tenant", List.of("x"))));
        assertThat(c.sql()).contains("1 = 0");
        Compilation.Compiled n = (Compilation.Compiled) compile(model, select("t", "t.count"), Fixtures.querier(Map.of("tenant", List.of("42", "x"))));
        assertThat(n.binds()).containsExactly(new java.math.BigDecimal("42"));
    }

    @Test
    void rowCapLimitsAndSaysSo() {
        Compilation.Compiled c = (Compilation.Compiled) QueryCompiler.compile(SHOP, QueryParser.parse(select("orders", "orders.status")),
                ALL, Dialect.POSTGRESQL, 50);
        assertThat(c.effectiveLimit()).isEqualTo(50);
        assertThat(c.cappedByRowCap()).isTrue();
        assertThat(c.sql()).endsWith("LIMIT 51");
        Compilation.Compiled d = compiled(select("orders", "orders.status"), ALL);
        assertThat(d.effectiveLimit()).isEqualTo(QueryCompiler.DEFAULT_LIMIT);
        assertThat(d.cappedByRowCap()).isFalse();
    }

    @Test
    void refusalsForValuesAndShapesArePrecise() {
        assertThat(refusal("""
                {"topic":"orders","fields":["orders.count"],"filters":[{"field":"orders.amount","op":"gt","values":["ten"]}]}""", ALL))
                .isEqualTo("Filter on \"orders.amount\": expects numbers, got text.");
        assertThat(refusal("""
                {"topic":"orders","fields":["orders.count"],"filters":[{"field":"orders.created_at","op":"eq","values":["yesterday"]}]}""", ALL))
                .contains("expects dates");
        assertThat(refusal("""
                {"topic":"orders","fields":["orders.count"],"filters":[{"field":"orders.amount","op":"contains","values":["1"]}]}""", ALL))
                .contains("text fields only");
        assertThat(refusal(select("orders", "orders.status[month]"), ALL)).isEqualTo("Field \"orders.status\" has no timeframe \"month\".");
        assertThat(refusal("""
                {"topic":"orders","fields":["orders.count"],"sorts":[{"field":"orders.status"}]}""", ALL))
                .contains("must be one of the query's fields");
    }

    @Test
    void aFannedOutMeasureOfAViewWithoutPrimaryKeyIsRefusedRatherThanDoubleCounted() {
        SemanticModel model = Fixtures.model("""
                connection: c
                views:
                  orders:
                    table: orders
                    dimensions:
                      id: { type: number }
                    measures:
                      total: { type: sum, sql: "${id}" }
                  items:
                    table: items
                    dimensions:
                      order_id: { type: number }
                topics:
                  orders:
                    base_view: orders
                    joins:
                      items: { on: "${items.order_id} = ${orders.id}", relationship: one_to_many }
                """);
        String q = """
                {"topic":"orders","fields":["orders.total"],"filters":[{"field":"items.order_id","op":"is_not_null"}]}""";
        assertThat(((Compilation.Refused) compile(model, q, ALL)).publicMessage()).contains("would double count");
        assertThat(compile(model, select("orders", "orders.total"), ALL)).isInstanceOf(Compilation.Compiled.class);
    }
}
