package dev.warden.semantic.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.warden.semantic.Fixtures;
import dev.warden.semantic.compile.Compilation;
import dev.warden.semantic.compile.QueryCompiler;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.query.QueryParser;

/**
 * Numbers that must not double count, checked against values computed by hand (in Java, from
 * the generated data) on every engine: the one side of a fanned-out join gives the same number
 * as without the join.
 */
class FanOutTest {
    private static final SemanticModel MODEL = Fixtures.shopModel();
    private static final ShopData DATA = ShopData.get();

    static List<Engine> engines() {
        return Engine.all();
    }

    private static List<List<String>> run(Engine engine, String query) {
        Compilation c = QueryCompiler.compile(MODEL, QueryParser.parse(query), Fixtures.querier(Map.of("region", List.of("all"))),
                engine.dialect(), 100_000);
        assertThat(c).isInstanceOf(Compilation.Compiled.class);
        return ExecutionTest.sorted(engine.run((Compilation.Compiled) c), false);
    }

    private static List<ShopData.Order> liveOrders() {
        return DATA.orders.stream().filter(o -> !o.status().equals("test")).toList();
    }

    private static String money(long cents) {
        return Engine.canonical(BigDecimal.valueOf(cents).divide(BigDecimal.valueOf(100)), "number");
    }

    private static String avg(List<Integer> cents) {
        BigDecimal sum = BigDecimal.valueOf(cents.stream().mapToLong(Integer::longValue).sum());
        return Engine.canonical(sum.divide(BigDecimal.valueOf(cents.size() * 100L), 10, RoundingMode.HALF_UP), "number");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void oneToManyJoinDoesNotMultiplyOrders(Engine engine) {
        Map<String, List<ShopData.Order>> byRegion = liveOrders().stream().collect(Collectors.groupingBy(ShopData.Order::region,
                TreeMap::new, Collectors.toList()));
        List<List<String>> expected = new ArrayList<>();
        byRegion.forEach((region, orders) -> {
            Set<Integer> ids = orders.stream().map(ShopData.Order::id).collect(Collectors.toSet());
            long quantity = DATA.items.stream().filter(i -> ids.contains(i.orderId())).mapToLong(ShopData.Item::quantity).sum();
            expected.add(List.of(region, String.valueOf(orders.size()),
                    money(orders.stream().mapToLong(ShopData.Order::amountCents).sum()),
                    avg(orders.stream().map(ShopData.Order::amountCents).toList()), String.valueOf(quantity)));
        });
        List<List<String>> actual = run(engine, """
                {"topic":"orders","fields":["orders.region","orders.count","orders.total_amount","orders.average_amount",
                "order_items.total_quantity"]}""");
        assertThat(actual).isEqualTo(ExecutionTest.sorted(expected, false));
        // The same numbers without the join.
        List<List<String>> withoutJoin = run(engine, """
                {"topic":"orders","fields":["orders.region","orders.count","orders.total_amount","orders.average_amount"]}""");
        assertThat(withoutJoin).isEqualTo(ExecutionTest.sorted(expected.stream().map(r -> r.subList(0, 4)).toList(), false));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void manyToOneJoinCountsEachUserOnce(Engine engine) {
        Set<Integer> userIds = new HashSet<>();
        DATA.users.forEach(u -> userIds.add(u.id()));
        Map<String, List<ShopData.Order>> byStatus = liveOrders().stream().collect(Collectors.groupingBy(ShopData.Order::status,
                TreeMap::new, Collectors.toList()));
        List<List<String>> expected = new ArrayList<>();
        byStatus.forEach((status, orders) -> expected.add(List.of(status,
                String.valueOf(orders.stream().map(ShopData.Order::userId).filter(userIds::contains).distinct().count()),
                String.valueOf(orders.size()))));
        List<List<String>> actual = run(engine, """
                {"topic":"orders","fields":["orders.status","users.count","orders.count"]}""");
        assertThat(actual).isEqualTo(ExecutionTest.sorted(expected, false));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void manySideDimensionCountsEachOrderOncePerGroup(Engine engine) {
        Map<Integer, ShopData.Order> live = liveOrders().stream().collect(Collectors.toMap(ShopData.Order::id, o -> o));
        List<List<String>> expected = new ArrayList<>();
        for (String sku : List.of("sku1", "sku2", "sku3")) {
            List<ShopData.Item> items = DATA.items.stream().filter(i -> i.sku().equals(sku) && live.containsKey(i.orderId())).toList();
            List<ShopData.Order> orders = items.stream().map(i -> live.get(i.orderId())).distinct().toList();
            expected.add(List.of(sku, String.valueOf(orders.size()), avg(orders.stream().map(ShopData.Order::amountCents).toList()),
                    String.valueOf(items.size())));
        }
        List<List<String>> actual = run(engine, """
                {"topic":"orders","fields":["order_items.sku","orders.count","orders.average_amount","order_items.count"],
                 "filters":[{"field":"order_items.sku","op":"in","values":["sku1","sku2","sku3"]}]}""");
        assertThat(actual).isEqualTo(ExecutionTest.sorted(expected, false));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void betweenDatesIncludesTheWholeLastDay(Engine engine) {
        long expected = liveOrders().stream().filter(o -> !o.createdAt().isBefore(LocalDateTime.of(2025, 1, 1, 0, 0))
                && o.createdAt().isBefore(LocalDateTime.of(2025, 7, 1, 0, 0))).count();
        assertThat(liveOrders()).anyMatch(o -> o.createdAt().equals(LocalDateTime.of(2025, 6, 30, 23, 30)));
        assertThat(liveOrders()).anyMatch(o -> o.createdAt().equals(LocalDateTime.of(2025, 7, 1, 0, 0)));
        List<List<String>> actual = run(engine, """
                {"topic":"orders","fields":["orders.count"],
                 "filters":[{"field":"orders.created_at","op":"between","values":["2025-01-01","2025-06-30"]}]}""");
        assertThat(actual).containsExactly(List.of(String.valueOf(expected)));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void limitFetchesOneMoreRowSoTruncationShows(Engine engine) {
        Compilation.Compiled c = (Compilation.Compiled) QueryCompiler.compile(MODEL, QueryParser.parse("""
                {"topic":"orders","fields":["orders.status"],"limit":2}"""), Fixtures.querier(Map.of("region", List.of("all"))),
                engine.dialect(), 100_000);
        assertThat(c.effectiveLimit()).isEqualTo(2);
        assertThat(engine.run(c)).hasSize(3);
    }
}
