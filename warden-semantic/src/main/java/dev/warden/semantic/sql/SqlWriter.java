package dev.warden.semantic.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The one render pass: writes a {@link Sql} tree as text for a dialect, replacing every value
 * with {@code ?} and collecting the values in the same order.
 */
public final class SqlWriter {
    private final Dialect dialect;
    private final StringBuilder text = new StringBuilder(2048);
    private final List<Object> binds = new ArrayList<>();
    private final java.util.Set<String> zones = new java.util.TreeSet<>();

    private SqlWriter(Dialect dialect) {
        this.dialect = dialect;
    }

    public static RenderedSql render(Sql sql, Dialect dialect) {
        SqlWriter w = new SqlWriter(dialect);
        w.write(sql);
        return new RenderedSql(w.text.toString(), w.binds, w.zones);
    }

    private void write(Sql sql) {
        switch (sql) {
            case Sql.Text t -> text.append(t.text());
            case Sql.Identifier id -> dialect.appendQuoted(text, id.name());
            case Sql.TableName table -> {
                String name = table.dottedName();
                int start = 0;
                for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', start)) {
                    dialect.appendQuoted(text, name.substring(start, dot));
                    text.append('.');
                    start = dot + 1;
                }
                dialect.appendQuoted(text, name.substring(start));
            }
            case Sql.Bind b -> {
                text.append('?');
                binds.add(b.value());
            }
            case Sql.Concat c -> {
                for (Sql part : c.parts()) {
                    write(part);
                }
            }
            case Sql.Truncate t -> write(dialect.truncate(t.timeframe(), t.expression()));
            case Sql.FromUtc f -> {
                zones.add(f.zoneId());
                write(dialect.fromUtc(f.expression(), Sql.bind(dialect.zoneValue(f.zoneId()))));
            }
            case Sql.ExactText e -> write(dialect.exactText(e.expression()));
            case Sql.ExactGroupKey k -> write(dialect.exactGroupKey(k.expression(), k.alias()));
            case Sql.Like like -> write(dialect.like(like.expression(), like.literal(), like.match()));
        }
    }
}
