package dev.warden.semantic.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.warden.semantic.Fixtures;

class ModelLoaderTest {

    private static List<ModelProblem> problems(String yaml) {
        ModelLoad load = ModelLoader.load(yaml);
        assertThat(load).as("expected an invalid model").isInstanceOf(ModelLoad.Invalid.class);
        return ((ModelLoad.Invalid) load).problems();
    }

    private static List<ModelProblem> problems(String yaml, Set<String> attributes) {
        ModelLoad load = ModelLoader.load(yaml, attributes);
        assertThat(load).as("expected an invalid model").isInstanceOf(ModelLoad.Invalid.class);
        return ((ModelLoad.Invalid) load).problems();
    }

    private static final String VIEWS = """
            views:
              orders:
                table: main.orders
                primary_key: id
                dimensions:
                  id: { type: number }
                  region: { type: string }
                  created_at: { type: timestamp, timeframes: [month] }
                measures:
                  count: { type: count }
            """;

    @Test
    void modelMdExampleValidatesWithoutWarnings() {
        ModelLoad load = ModelLoader.load(Fixtures.resource("models/model-md-example.yaml"),
                Set.of("region", "department", "pii_access"));
        assertThat(load).isInstanceOf(ModelLoad.Loaded.class);
        ModelLoad.Loaded loaded = (ModelLoad.Loaded) load;
        assertThat(loaded.warnings()).isEmpty();
        SemanticModel m = loaded.model();
        assertThat(m.connection()).isEqualTo("demo_warehouse");
        assertThat(m.topics().get("orders").accessFilters()).singleElement()
                .satisfies(f -> assertThat(f.valuesForUnfiltered()).containsExactly("all"));
        assertThat(m.topics().get("orders").joins().get("users").parent()).isEqualTo("orders");
        assertThat(m.views().get("orders").measures().get("completed").filters()).singleElement()
                .satisfies(f -> assertThat(f.values()).containsExactly("complete"));
    }

    @Test
    void listsWhichAttributesTheModelUsesAndWhere() {
        SemanticModel m = Fixtures.exampleModel();
        assertThat(m.usedAttributes()).containsExactly("department", "pii_access", "region");
        assertThat(m.usagesOf("region")).extracting(AttributeUsage::place).contains("topic orders");
        assertThat(m.usagesOf("department")).extracting(AttributeUsage::place).contains("field orders.margin");
        assertThat(m.usagesOf("pii_access")).extracting(AttributeUsage::place).contains("field users.email");
        assertThat(m.usagesOf("nothing")).isEmpty();
        SemanticModel shop = Fixtures.shopModel();
        assertThat(shop.usagesOf("home_status")).extracting(AttributeUsage::how).containsExactly("sql_reference");
    }

    @Test
    void misspelledGovernanceKeyIsAnErrorWithItsPlaceAndAHint() {
        List<ModelProblem> p = problems("connection: c\n" + VIEWS + """
                topics:
                  orders:
                    base_view: orders
                    access_filter:
                      - field: orders.region
                        user_attribute: region
                """);
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.message()).contains("unknown key 'access_filter'");
            assertThat(problem.hint()).contains("access_filters");
            assertThat(problem.line()).isEqualTo(15);
            assertThat(problem.column()).isEqualTo(5);
        });
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<ModelProblem> p = problems("""
                connection: c
                access_grants:
                  g: { user_attribute: dept, allowed_values: [x] }
                views:
                  orders:
                    table: orders
                    primary_key: nope
                    dimensions:
                      id: { type: number }
                      status: { type: strin }
                      amount: { type: number, sql: "${TABLE}.a + ${missing}", timeframes: [month] }
                      a: { type: number, sql: "${b}" }
                      b: { type: number, sql: "${a}" }
                    measures:
                      total: { type: sum }
                      weird: { type: number, sql: "${id} * 2" }
                      other: { type: sum, sql: "${users.id}" }
                topics:
                  t:
                    base_view: orders
                    required_access_grants: [h]
                    joins:
                      users: { on: "${orders.id} = ${users.id}", relationship: many_to_many }
                      orders2: { on: "1 = 1", relationship: many_to_one }
                """);
        assertThat(p).extracting(ModelProblem::message).anySatisfy(m -> assertThat(m).contains("primary_key 'nope'"))
                .anySatisfy(m -> assertThat(m).contains("unknown type 'strin'"))
                .anySatisfy(m -> assertThat(m).contains("${missing}"))
                .anySatisfy(m -> assertThat(m).contains("timeframes but is of type number"))
                .anySatisfy(m -> assertThat(m).contains("cyclic reference"))
                .anySatisfy(m -> assertThat(m).contains("needs 'sql'"))
                .anySatisfy(m -> assertThat(m).contains("${id} is a dimension"))
                .anySatisfy(m -> assertThat(m).contains("unknown view 'users'"))
                .anySatisfy(m -> assertThat(m).contains("unknown access grant 'h'"))
                .anySatisfy(m -> assertThat(m).contains("names undefined view 'users'"))
                .anySatisfy(m -> assertThat(m).contains("names undefined view 'orders2'"));
        assertThat(p).allSatisfy(problem -> {
            assertThat(problem.line()).isPositive();
            assertThat(problem.column()).isPositive();
            assertThat(problem.hint()).isNotNull();
        });
        assertThat(p).isSortedAccordingTo(java.util.Comparator.comparingInt(ModelProblem::line));
    }

    @Test
    void valuesForUnfilteredWithoutAttributeIsAnError() {
        List<ModelProblem> p = problems("connection: c\n" + VIEWS + """
                topics:
                  orders:
                    base_view: orders
                    access_filters:
                      - field: orders.region
                        values_for_unfiltered: [all]
                """);
        assertThat(p).singleElement().satisfies(x -> assertThat(x.message()).contains("has no 'user_attribute'"));
    }

    @Test
    void accessFilterOnUnknownFieldOrUnknownAttribute() {
        String yaml = "connection: c\n" + VIEWS + """
                topics:
                  orders:
                    base_view: orders
                    access_filters:
                      - { field: orders.regoin, user_attribute: region }
                      - { field: orders.region, user_attribute: regoin }
                """;
        List<ModelProblem> p = problems(yaml, Set.of("region"));
        assertThat(p).hasSize(2);
        assertThat(p.get(0).message()).contains("unknown field 'orders.regoin'");
        assertThat(p.get(0).hint()).contains("orders.region");
        assertThat(p.get(1).message()).contains("unknown user attribute 'regoin'");
        // Without the org's attribute list, the attribute name is not checked.
        assertThat(problems(yaml)).hasSize(1);
    }

    @Test
    void grantNamingUnknownAttributeIsAnErrorWhenAttributesAreKnown() {
        String yaml = """
                connection: c
                access_grants:
                  pii: { user_attribute: pii_acess, allowed_values: ["yes"] }
                """ + VIEWS;
        assertThat(problems(yaml, Set.of("pii_access"))).singleElement()
                .satisfies(x -> assertThat(x.hint()).contains("pii_access"));
        assertThat(ModelLoader.load(yaml)).isInstanceOf(ModelLoad.Loaded.class);
    }

    @Test
    void timeframeOnNonTimeFieldAndUnknownTimeframe() {
        List<ModelProblem> p = problems("""
                connection: c
                views:
                  v:
                    table: t
                    dimensions:
                      s: { type: string, timeframes: [month] }
                      d: { type: date, timeframes: [hour, fortnight] }
                """);
        assertThat(p).extracting(ModelProblem::message).anySatisfy(m -> assertThat(m).contains("'v.s' has timeframes"))
                .anySatisfy(m -> assertThat(m).contains("cannot have timeframe 'hour'"))
                .anySatisfy(m -> assertThat(m).contains("unknown timeframe 'fortnight'"));
    }

    @Test
    void inheritedDefaultFilterOnAViewTheTopicLacksIsAnError() {
        List<ModelProblem> p = problems("""
                connection: c
                default_topic_access_filters:
                  - { field: orders.region, user_attribute: region }
                """ + VIEWS + """
                  users:
                    table: users
                    dimensions:
                      id: { type: number }
                topics:
                  users:
                    base_view: users
                """);
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.message()).contains("topic 'users' has an access filter on 'orders.region' but does not join view 'orders'");
            assertThat(x.hint()).contains("give the topic its own access_filters");
        });
    }

    @Test
    void optingOutOfDefaultsIsAllowedWithAWarning() {
        ModelLoad load = ModelLoader.load(Fixtures.resource("models/shop.yaml"));
        assertThat(load).isInstanceOf(ModelLoad.Loaded.class);
        assertThat(((ModelLoad.Loaded) load).warnings()).extracting(ModelProblem::message)
                .anySatisfy(m -> assertThat(m).contains("topic 'regional' opts out of the default access filters"));
    }

    @Test
    void questionMarkInModelSqlIsRejectedBecauseItIsTheBindPlaceholder() {
        List<ModelProblem> p = problems("""
                connection: c
                views:
                  v:
                    table: t
                    dimensions:
                      s: { type: string, sql: "CASE WHEN ${TABLE}.x ? 'a' THEN 1 END" }
                """);
        assertThat(p).singleElement().satisfies(x -> assertThat(x.message()).contains("contains '?'"));
    }

    @Test
    void onlyUserAttributeTemplatesAreAllowed() {
        List<ModelProblem> p = problems("""
                connection: c
                views:
                  v:
                    table: t
                    dimensions:
                      s: { type: string, sql: "{{ env.SECRET }}" }
                """);
        assertThat(p).singleElement().satisfies(x -> assertThat(x.message()).contains("unknown template"));
    }

    @Test
    void joinMustReferenceItselfAndAnEarlierView() {
        List<ModelProblem> p = problems("connection: c\n" + VIEWS + """
                  users:
                    table: users
                    dimensions:
                      id: { type: number }
                topics:
                  t:
                    base_view: orders
                    joins:
                      users: { on: "${orders.id} = 1", relationship: many_to_one, type: outer }
                """);
        assertThat(p).extracting(ModelProblem::message).anySatisfy(m -> assertThat(m).contains("'on' must reference"))
                .anySatisfy(m -> assertThat(m).contains("unknown type 'outer'"));
    }

    @Test
    void duplicateKeysAndSyntaxErrorsAreReportedWithTheirPlace() {
        List<ModelProblem> dup = problems("connection: c\nconnection: d\n" + VIEWS);
        assertThat(dup).singleElement().satisfies(x -> {
            assertThat(x.message()).contains("duplicate key 'connection'");
            assertThat(x.line()).isEqualTo(2);
        });
        List<ModelProblem> syntax = problems("connection: c\nviews:\n  v: [unclosed\n");
        assertThat(syntax).singleElement().satisfies(x -> assertThat(x.message()).startsWith("invalid YAML"));
        assertThat(problems("")).singleElement().satisfies(x -> assertThat(x.message()).contains("empty"));
        assertThat(problems("- a\n- b\n")).singleElement().satisfies(x -> assertThat(x.message()).contains("mapping"));
    }

    @Test
    void unknownKeysAnywhereAreErrors() {
        List<ModelProblem> p = problems("""
                connection: c
                conection: d
                views:
                  v:
                    table: t
                    primary_keys: id
                    dimensions:
                      id: { type: number, hiden: true }
                    measures:
                      n: { type: count, filter: { id: 1 } }
                """);
        assertThat(p).extracting(ModelProblem::message).containsExactly("unknown key 'conection' in the model",
                "unknown key 'primary_keys' in view 'v'", "unknown key 'hiden' in dimension 'v.id'",
                "unknown key 'filter' in measure 'v.n'");
    }

    @Test
    void aListValuedAttributeIsRecognisedOnlyInsideIn() {
        SemanticModel shop = Fixtures.shopModel();
        SqlTemplate regional = shop.topics().get("regional").alwaysWhere().orElseThrow();
        assertThat(regional.parts()).filteredOn(SqlTemplate.Attribute.class::isInstance).singleElement()
                .satisfies(a -> assertThat(((SqlTemplate.Attribute) a).listContext()).isTrue());
        SqlTemplate single = shop.topics().get("single_status").alwaysWhere().orElseThrow();
        assertThat(single.parts()).filteredOn(SqlTemplate.Attribute.class::isInstance).singleElement()
                .satisfies(a -> assertThat(((SqlTemplate.Attribute) a).listContext()).isFalse());
    }
}
