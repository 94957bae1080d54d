package dev.warden.semantic.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.semantic.model.ModelLoad;
import dev.warden.semantic.model.ModelLoader;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.semantic.policy.Policy;
import dev.warden.semantic.query.QueryParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The explanation agrees with the compiler and never shows a person's attribute values. */
class QueryExplainerTest {
    private static final String MODEL = """
            connection: wh
            default_topic_access_filters:
              - field: orders.region
                user_attribute: region
                values_for_unfiltered: [all]
            access_grants:
              finance_only: { user_attribute: department, allowed_values: [finance] }
            views:
              orders:
                table: main.orders
                primary_key: id
                dimensions:
                  id: { type: number, hidden: true }
                  region: { type: string }
                  status: { type: string }
                  cost: { type: number, required_access_grants: [finance_only] }
                measures:
                  count: { type: count }
                  total_cost: { type: sum, sql: "${cost}" }
            topics:
              orders:
                base_view: orders
                always_where: "${orders.status} <> 'test'"
            """;

    private static SemanticModel model() {
        return ((ModelLoad.Loaded) ModelLoader.load(MODEL)).model();
    }

    @Test
    void aDeniedFieldIsExplainedWithTheFailingGrantAndNoValues() {
        Policy ben = new Policy(Map.of("region", List.of("north-secret-value"), "department", List.of("sales-secret")),
                Map.of(), ConnectionRole.QUERIER);
        var e = QueryExplainer.explain(model(), QueryParser.parse("""
                {"topic": "orders", "fields": ["orders.region", "orders.total_cost"]}"""), ben);
        assertThat(e.topicQueryable()).isTrue();
        assertThat(e.compiles()).isFalse();
        assertThat(e.fields()).extracting(QueryExplainer.FieldCheck::field, QueryExplainer.FieldCheck::queryable)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orders.region", true),
                        org.assertj.core.groups.Tuple.tuple("orders.total_cost", false));
        assertThat(e.fields().get(1).reason()).contains("references a field that is denied");
        assertThat(e.grants()).singleElement().satisfies(g -> {
            assertThat(g.passed()).isFalse();
            assertThat(g.reason()).isEqualTo("no value among allowed_values");
        });
        assertThat(e.accessFilters()).singleElement().satisfies(f -> assertThat(f.effect()).isEqualTo("applied"));
        assertThat(e.alwaysWhere()).hasValue("${orders.status} <> 'test'");
        assertThat(e.toString()).doesNotContain("north-secret-value", "sales-secret");
    }

    @Test
    void liftedAndMissingAttributesAreSaidAsSuch() {
        Policy all = new Policy(Map.of("region", List.of("all"), "department", List.of("finance")), Map.of(),
                ConnectionRole.QUERIER);
        var lifted = QueryExplainer.explain(model(), QueryParser.parse("""
                {"topic": "orders", "fields": ["orders.total_cost"]}"""), all);
        assertThat(lifted.compiles()).isTrue();
        assertThat(lifted.accessFilters().getFirst().effect()).isEqualTo("lifted by values_for_unfiltered");

        Policy none = new Policy(Map.of(), Map.of(), ConnectionRole.QUERIER);
        var missing = QueryExplainer.explain(model(), QueryParser.parse("""
                {"topic": "orders", "fields": ["orders.count"]}"""), none);
        assertThat(missing.compiles()).isFalse();
        assertThat(missing.accessFilters().getFirst().effect()).isEqualTo("refuses the query: no value");
        assertThat(missing.grants().getFirst().reason()).isEqualTo("no value");
    }

    @Test
    void aViewerIsToldTheRoleCannotQuery() {
        var e = QueryExplainer.explain(model(), QueryParser.parse("""
                {"topic": "orders", "fields": ["orders.count"]}"""), new Policy(Map.of(), Map.of(), ConnectionRole.VIEWER));
        assertThat(e.topicQueryable()).isFalse();
        assertThat(e.topicReasons()).anyMatch(r -> r.contains("VIEWER cannot run queries"));
    }
}
