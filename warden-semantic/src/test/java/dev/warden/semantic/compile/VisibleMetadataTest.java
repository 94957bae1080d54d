package dev.warden.semantic.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.warden.semantic.Fixtures;
import dev.warden.semantic.model.Field;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.model.Topic;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.semantic.policy.Policy;
import dev.warden.semantic.query.FieldRef;
import dev.warden.semantic.query.Query;
import dev.warden.semantic.sql.Dialect;

class VisibleMetadataTest {
    private static final SemanticModel SHOP = Fixtures.shopModel();

    private static List<String> fields(VisibleMetadata m, String topic) {
        List<String> out = new ArrayList<>();
        m.topic(topic).orElseThrow().views().forEach(v -> v.fields().forEach(f -> out.add(f.name())));
        return out;
    }

    @Test
    void deniedTopicsViewsAndFieldsAreAbsent() {
        VisibleMetadata m = VisibleMetadata.of(SHOP, Fixtures.querier(Map.of("region", List.of("eu"))));
        assertThat(m.topics()).extracting(VisibleMetadata.VisibleTopic::name)
                .containsExactly("orders", "users", "regional", "single_status");
        assertThat(fields(m, "orders")).contains("orders.status", "users.name", "order_items.sku", "orders.created_at")
                .doesNotContain("users.email", "orders.internal_code", "orders.code_prefix", "orders.codes", "orders.margin",
                        "orders.margin_per_order");
        VisibleMetadata.VisibleField created = m.topic("orders").orElseThrow().views().get(0).fields().stream()
                .filter(f -> f.name().equals("orders.created_at")).findFirst().orElseThrow();
        assertThat(created.timeframes()).containsExactly("raw", "hour", "date", "week", "month", "quarter", "year");
        assertThat(created.type()).isEqualTo("timestamp");
    }

    @Test
    void grantsRevealFieldsAndTopics() {
        VisibleMetadata m = VisibleMetadata.of(SHOP, Fixtures.querier(Map.of("region", List.of("eu"), "department", List.of("finance"),
                "pii_access", List.of("yes"))));
        assertThat(m.topic("finance")).isPresent();
        assertThat(fields(m, "finance")).containsExactlyInAnyOrder("orders.status", "orders.region", "orders.total_amount",
                "orders.margin", "orders.count");
        assertThat(fields(m, "orders")).contains("users.email", "orders.margin", "orders.margin_per_order");
    }

    @Test
    void rolesBelowQuerierSeeLess() {
        Map<String, List<String>> a = Map.of("region", List.of("eu"));
        assertThat(VisibleMetadata.of(SHOP, Fixtures.policy(ConnectionRole.RESTRICTED_QUERIER, a)).topics())
                .extracting(VisibleMetadata.VisibleTopic::name).containsExactly("orders");
        assertThat(VisibleMetadata.of(SHOP, Fixtures.policy(ConnectionRole.VIEWER, a)).topics()).isEmpty();
        assertThat(VisibleMetadata.of(SHOP, Fixtures.policy(ConnectionRole.NO_ACCESS, a)).topics()).isEmpty();
    }

    /** What metadata lists is exactly what the compiler accepts, for several people. */
    @Test
    void metadataMatchesWhatCompiles() {
        List<Policy> people = List.of(Fixtures.querier(Map.of("region", List.of("all"))),
                Fixtures.querier(Map.of("region", List.of("all"), "department", List.of("ops"))),
                Fixtures.querier(Map.of("region", List.of("all"), "department", List.of("exec"), "pii_access", List.of("yes"))),
                Fixtures.policy(ConnectionRole.RESTRICTED_QUERIER, Map.of("region", List.of("all"), "home_status", List.of("x"))));
        for (Policy p : people) {
            VisibleMetadata m = VisibleMetadata.of(SHOP, p);
            for (Topic t : SHOP.topics().values()) {
                for (var v : SHOP.views().values()) {
                    List<Field> all = new ArrayList<>(v.dimensions().values());
                    all.addAll(v.measures().values());
                    for (Field f : all) {
                        Query q = new Query(t.name(), List.of(new FieldRef(f.view(), f.name(), Optional.empty())), List.of(), List.of(),
                                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
                        // A missing attribute is refused at query time; it does not hide the field.
                        boolean compiles = switch (QueryCompiler.compile(SHOP, q, p, Dialect.DUCKDB, 10)) {
                            case Compilation.Compiled c -> true;
                            case Compilation.Refused r -> r.publicMessage().contains("no value for the user attribute");
                        };
                        boolean listed = m.topic(t.name()).map(vt -> vt.views().stream()
                                .anyMatch(vv -> vv.fields().stream().anyMatch(vf -> vf.name().equals(f.qualifiedName())))).orElse(false);
                        assertThat(listed).as("%s in %s for %s", f.qualifiedName(), t.name(), p).isEqualTo(compiles);
                    }
                }
            }
        }
    }
}
