package dev.warden.semantic.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.warden.semantic.sql.Dialect;

/** Every golden case compiles, for every dialect, to exactly the SQL and binds its file shows. */
class GoldenSqlTest {
    @TestFactory
    List<DynamicTest> goldenSql() {
        boolean update = Boolean.getBoolean("golden.update");
        List<DynamicTest> tests = new ArrayList<>();
        List<GoldenCase> cases = GoldenCase.all();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(15);
        for (GoldenCase c : cases) {
            if (update) {
                c.update();
            }
            GoldenCase current = update ? GoldenCase.read(c.file()) : c;
            for (Dialect d : Dialect.values()) {
                tests.add(DynamicTest.dynamicTest(c.name() + " / " + d, () -> assertThat(current.actual(d))
                        .as("golden file %s, section %s (regenerate with -Dgolden.update=true and review the diff)",
                                c.file(), GoldenCase.sectionName(d))
                        .isEqualTo(current.sections().get(GoldenCase.sectionName(d)))));
            }
        }
        return tests;
    }
}
