package dev.warden.semantic.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DialectTest {
    @Test
    void identifiersAreQuotedByDoublingTheQuote() {
        assertThat(Dialect.POSTGRESQL.quoteIdentifier("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(Dialect.DUCKDB.quoteIdentifier("orders")).isEqualTo("\"orders\"");
        assertThat(Dialect.TRINO.quoteIdentifier("Mixed Case")).isEqualTo("\"Mixed Case\"");
        assertThat(Dialect.MYSQL.quoteIdentifier("a`b")).isEqualTo("`a``b`");
        // BigQuery escapes inside backticks with a backslash.
        assertThat(Dialect.BIGQUERY.quoteIdentifier("a`b\\c")).isEqualTo("`a\\`b\\\\c`");
    }

    @Test
    void snowflakeUpperCasesPlainLowerCaseNamesLikeAnUnquotedNameWouldResolve() {
        assertThat(Dialect.SNOWFLAKE.quoteIdentifier("orders")).isEqualTo("\"ORDERS\"");
        assertThat(Dialect.SNOWFLAKE.quoteIdentifier("Orders")).isEqualTo("\"Orders\"");
        assertThat(Dialect.SNOWFLAKE.quoteIdentifier("a\"b")).isEqualTo("\"a\"\"b\"");
    }

    @Test
    void likeValuesAreEscapedAndBound() {
        RenderedSql pg = SqlWriter.render(new Sql.Like(Sql.identifier("n"), "50%_off!", Sql.LikeMatch.CONTAINS), Dialect.POSTGRESQL);
        assertThat(pg.sql()).isEqualTo("\"n\" LIKE ? ESCAPE '!'");
        assertThat(pg.binds()).containsExactly("%50!%!_off!!%");
        RenderedSql bq = SqlWriter.render(new Sql.Like(Sql.identifier("n"), "a\\%", Sql.LikeMatch.STARTS_WITH), Dialect.BIGQUERY);
        assertThat(bq.sql()).isEqualTo("`n` LIKE ?");
        assertThat(bq.binds()).containsExactly("a\\\\\\%%");
        RenderedSql my = SqlWriter.render(new Sql.Like(Sql.identifier("n"), "x", Sql.LikeMatch.ENDS_WITH), Dialect.MYSQL);
        assertThat(my.sql()).isEqualTo("CAST(`n` AS BINARY) LIKE CAST(? AS BINARY) ESCAPE '!'");
        assertThat(my.binds()).containsExactly("%x");
    }

    @Test
    void oneRenderPassCollectsBindsInOrder() {
        RenderedSql r = SqlWriter.render(Sql.concat(Sql.text("a = "), Sql.bind(1), Sql.text(" AND "), new Sql.TableName("s.t"),
                Sql.text(" = "), Sql.bind("x")), Dialect.DUCKDB);
        assertThat(r.sql()).isEqualTo("a = ? AND \"s\".\"t\" = ?");
        assertThat(r.binds()).isEqualTo(List.of(1, "x"));
    }

    @Test
    void mysqlGetsZonesThatNeverChangeAsOffsetsWhichNeedNoTimeZoneTables() {
        assertThat(Dialect.MYSQL.zoneValue("UTC")).isEqualTo("+00:00");
        assertThat(Dialect.MYSQL.zoneValue("Etc/GMT+5")).isEqualTo("-05:00"); // POSIX sign: five hours behind
        assertThat(Dialect.MYSQL.zoneValue("+05:30")).isEqualTo("+05:30");
        assertThat(Dialect.MYSQL.zoneValue("Europe/Paris")).isEqualTo("Europe/Paris"); // DST: the tables decide
        assertThat(Dialect.POSTGRESQL.zoneValue("UTC")).isEqualTo("UTC");
        RenderedSql r = SqlWriter.render(new Sql.FromUtc(Sql.identifier("t"), "UTC"), Dialect.MYSQL);
        assertThat(r.sql()).isEqualTo("CONVERT_TZ(`t`, '+00:00', ?)");
        assertThat(r.binds()).isEqualTo(List.of("+00:00"));
    }
}
