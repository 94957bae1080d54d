package dev.warden.semantic.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.warden.semantic.compile.Compilation;
import dev.warden.semantic.golden.GoldenCase;
import dev.warden.semantic.query.QueryParser;

/**
 * The golden cases run on every engine of this run, on the same data; all engines must return
 * the same rows. MySQL/MariaDB is left out of cases that show timestamps in a named timezone,
 * which needs the server's time zone tables (absent on a stock MariaDB).
 */
class ExecutionTest {

    @Test
    void requiredEnginesArePresentUnderCi() {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(Engine.all()).extracting(Engine::name).containsExactly("duckdb", "postgresql", "mariadb");
        }
        assertThat(Engine.all()).isNotEmpty();
    }

    @TestFactory
    List<DynamicTest> goldenCasesAgreeAcrossEngines() {
        List<DynamicTest> tests = new ArrayList<>();
        for (GoldenCase c : GoldenCase.all()) {
            if (!c.usesShopModel()) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Map<String, List<List<String>>> results = new LinkedHashMap<>();
                boolean namedZone = QueryParser.parse(c.sections().get("query")).timezone()
                        .map(z -> !z.getId().equals("UTC")).orElse(false);
                for (Engine e : Engine.all()) {
                    if (namedZone && e.name().equals("mariadb") && showsTimestamps(c)) {
                        continue;
                    }
                    Compilation.Compiled compiled = (Compilation.Compiled) c.compile(e.dialect());
                    List<List<String>> rows = e.run(compiled);
                    results.put(e.name(), sorted(rows, !QueryParser.parse(c.sections().get("query")).sorts().isEmpty()));
                }
                List<List<String>> reference = results.get("duckdb");
                assertThat(reference).as("%s returns rows on duckdb", c.name()).isNotEmpty();
                results.forEach((engine, rows) -> assertThat(rows).as("%s on %s vs duckdb", c.name(), engine)
                        .isEqualTo(reference));
            }));
        }
        return tests;
    }

    private static boolean showsTimestamps(GoldenCase c) {
        String q = c.sections().get("query");
        return q.contains("[") || q.contains("first_order_at");
    }

    /** Sorted queries keep their order; others are compared as sets of rows. */
    static List<List<String>> sorted(List<List<String>> rows, boolean ordered) {
        if (ordered) {
            return rows;
        }
        List<List<String>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(Object::toString));
        return copy;
    }
}
