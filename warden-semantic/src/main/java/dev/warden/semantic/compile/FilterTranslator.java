package dev.warden.semantic.compile;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;

import dev.warden.semantic.query.Filter;
import dev.warden.semantic.query.FilterOp;
import dev.warden.semantic.query.FilterValue;
import dev.warden.semantic.query.InLastUnit;
import dev.warden.semantic.sql.Sql;

/**
 * Turns one query filter into a predicate, following API.md: values become binds of the field's
 * type; dates and timestamps are read in the query's timezone; a date given for a timestamp means
 * that whole day, so {@code between} with a date upper bound covers the whole last day.
 */
final class FilterTranslator {
    /** An ISO timestamp that names its own offset (or Z): an instant, not a local time. */
    private static final java.util.regex.Pattern WITH_OFFSET = java.util.regex.Pattern.compile(".*(Z|[+-]\\d\\d:\\d\\d)");

    private final ZoneId zone;
    private final Clock clock;

    FilterTranslator(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    /**
     * A value for a timestamp: either a whole day/period {@code [start, end)} or an instant
     * ({@code end == null}), already in the expression's clock (UTC or local).
     */
    private record Span(Object start, Object end) {
        boolean point() {
            return end == null;
        }
    }

    Sql translate(String field, ValueKind kind, Sql x, Filter f) {
        FilterOp op = f.op();
        List<FilterValue> values = f.values();
        if (op.isPattern() && kind != ValueKind.STRING) {
            throw new Refusal("Filter on \"" + field + "\": op '" + op.wireName() + "' applies to text fields only.");
        }
        if (op == FilterOp.IN_LAST && kind != ValueKind.DATE && kind != ValueKind.TIMESTAMP_UTC && kind != ValueKind.TIMESTAMP_LOCAL) {
            throw new Refusal("Filter on \"" + field + "\": op 'in_last' applies to date and timestamp fields only.");
        }
        if (kind == ValueKind.BOOLEAN && op != FilterOp.EQ && op != FilterOp.NEQ && op != FilterOp.IN && op != FilterOp.NOT_IN
                && op != FilterOp.IS_NULL && op != FilterOp.IS_NOT_NULL) {
            throw new Refusal("Filter on \"" + field + "\": op '" + op.wireName() + "' does not apply to a boolean field.");
        }
        boolean exact = kind == ValueKind.STRING;
        return switch (op) {
            case IS_NULL -> Sql.concat(x, Sql.text(" IS NULL"));
            case IS_NOT_NULL -> Sql.concat(x, Sql.text(" IS NOT NULL"));
            case CONTAINS -> new Sql.Like(x, text(field, values.get(0)), Sql.LikeMatch.CONTAINS);
            case STARTS_WITH -> new Sql.Like(x, text(field, values.get(0)), Sql.LikeMatch.STARTS_WITH);
            case ENDS_WITH -> new Sql.Like(x, text(field, values.get(0)), Sql.LikeMatch.ENDS_WITH);
            case IN_LAST -> inLast(field, kind, x, values);
            case EQ, NEQ, IN, NOT_IN, GT, GTE, LT, LTE, BETWEEN -> isTimestamp(kind)
                    ? timestamp(field, kind, x, op, values)
                    : compare(x, op, exact, values.stream().map(v -> value(field, kind, v)).toList());
        };
    }

    private static boolean isTimestamp(ValueKind kind) {
        return kind == ValueKind.TIMESTAMP_UTC || kind == ValueKind.TIMESTAMP_LOCAL;
    }

    private static Sql compare(Sql x, FilterOp op, boolean exact, List<Object> v) {
        Sql subject = exact ? new Sql.ExactText(x) : x;
        return switch (op) {
            case EQ -> Sql.concat(subject, Sql.text(" = "), bind(v.get(0), exact));
            case NEQ -> Sql.concat(subject, Sql.text(" <> "), bind(v.get(0), exact));
            case GT -> Sql.concat(x, Sql.text(" > "), Sql.bind(v.get(0)));
            case GTE -> Sql.concat(x, Sql.text(" >= "), Sql.bind(v.get(0)));
            case LT -> Sql.concat(x, Sql.text(" < "), Sql.bind(v.get(0)));
            case LTE -> Sql.concat(x, Sql.text(" <= "), Sql.bind(v.get(0)));
            case BETWEEN -> Sql.concat(Sql.text("("), x, Sql.text(" >= "), Sql.bind(v.get(0)), Sql.text(" AND "), x,
                    Sql.text(" <= "), Sql.bind(v.get(1)), Sql.text(")"));
            case IN, NOT_IN -> {
                List<Sql> parts = new ArrayList<>();
                parts.add(subject);
                parts.add(Sql.text(op == FilterOp.IN ? " IN (" : " NOT IN ("));
                for (int i = 0; i < v.size(); i++) {
                    if (i > 0) {
                        parts.add(Sql.text(", "));
                    }
                    parts.add(bind(v.get(i), exact));
                }
                parts.add(Sql.text(")"));
                yield Sql.concat(parts);
            }
            default -> throw new IllegalArgumentException(op.wireName());
        };
    }

    private static Sql bind(Object value, boolean exact) {
        return exact ? new Sql.ExactText(Sql.bind(value)) : Sql.bind(value);
    }

    private Sql timestamp(String field, ValueKind kind, Sql x, FilterOp op, List<FilterValue> values) {
        List<Span> spans = values.stream().map(v -> span(field, kind, v)).toList();
        return switch (op) {
            case EQ -> equal(x, spans.get(0));
            case NEQ -> Sql.concat(Sql.text("NOT ("), equal(x, spans.get(0)), Sql.text(")"));
            case IN, NOT_IN -> {
                List<Sql> parts = new ArrayList<>();
                parts.add(Sql.text(op == FilterOp.IN ? "(" : "NOT ("));
                for (int i = 0; i < spans.size(); i++) {
                    if (i > 0) {
                        parts.add(Sql.text(" OR "));
                    }
                    parts.add(equal(x, spans.get(i)));
                }
                parts.add(Sql.text(")"));
                yield Sql.concat(parts);
            }
            case GT -> spans.get(0).point() ? Sql.concat(x, Sql.text(" > "), Sql.bind(spans.get(0).start()))
                    : Sql.concat(x, Sql.text(" >= "), Sql.bind(spans.get(0).end()));
            case GTE -> Sql.concat(x, Sql.text(" >= "), Sql.bind(spans.get(0).start()));
            case LT -> Sql.concat(x, Sql.text(" < "), Sql.bind(spans.get(0).start()));
            case LTE -> spans.get(0).point() ? Sql.concat(x, Sql.text(" <= "), Sql.bind(spans.get(0).start()))
                    : Sql.concat(x, Sql.text(" < "), Sql.bind(spans.get(0).end()));
            case BETWEEN -> Sql.concat(Sql.text("("), x, Sql.text(" >= "), Sql.bind(spans.get(0).start()), Sql.text(" AND "), x,
                    spans.get(1).point() ? Sql.text(" <= ") : Sql.text(" < "),
                    Sql.bind(spans.get(1).point() ? spans.get(1).start() : spans.get(1).end()), Sql.text(")"));
            default -> throw new IllegalArgumentException(op.wireName());
        };
    }

    private static Sql equal(Sql x, Span s) {
        if (s.point()) {
            return Sql.concat(x, Sql.text(" = "), Sql.bind(s.start()));
        }
        return Sql.concat(Sql.text("("), x, Sql.text(" >= "), Sql.bind(s.start()), Sql.text(" AND "), x, Sql.text(" < "),
                Sql.bind(s.end()), Sql.text(")"));
    }

    private Sql inLast(String field, ValueKind kind, Sql x, List<FilterValue> values) {
        int count = ((FilterValue.Number) values.get(0)).value().intValueExact();
        InLastUnit unit = InLastUnit.fromWire(((FilterValue.Text) values.get(1)).value()).orElseThrow();
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), zone);
        LocalDateTime currentStart = switch (unit) {
            case HOUR -> now.truncatedTo(ChronoUnit.HOURS);
            case DAY -> now.toLocalDate().atStartOfDay();
            case WEEK -> now.toLocalDate().with(DayOfWeek.MONDAY).atStartOfDay();
            case MONTH -> now.toLocalDate().withDayOfMonth(1).atStartOfDay();
            case QUARTER -> now.toLocalDate().with(IsoFields.DAY_OF_QUARTER, 1).atStartOfDay();
            case YEAR -> now.toLocalDate().withDayOfYear(1).atStartOfDay();
        };
        ChronoUnit step = switch (unit) {
            case HOUR -> ChronoUnit.HOURS;
            case DAY -> ChronoUnit.DAYS;
            case WEEK -> ChronoUnit.WEEKS;
            case MONTH -> ChronoUnit.MONTHS;
            case QUARTER -> ChronoUnit.MONTHS;
            case YEAR -> ChronoUnit.YEARS;
        };
        long size = unit == InLastUnit.QUARTER ? 3 : 1;
        LocalDateTime start = currentStart.minus((count - 1L) * size, step);
        LocalDateTime end = currentStart.plus(size, step);
        Object lower;
        Object upper;
        switch (kind) {
            case DATE -> {
                if (unit == InLastUnit.HOUR) {
                    throw new Refusal("Filter on \"" + field + "\": 'in_last' in hours needs a timestamp field.");
                }
                lower = start.toLocalDate();
                upper = end.toLocalDate();
            }
            case TIMESTAMP_UTC -> {
                lower = toUtc(start);
                upper = toUtc(end);
            }
            default -> {
                lower = start;
                upper = end;
            }
        }
        return Sql.concat(Sql.text("("), x, Sql.text(" >= "), Sql.bind(lower), Sql.text(" AND "), x, Sql.text(" < "),
                Sql.bind(upper), Sql.text(")"));
    }

    private LocalDateTime toUtc(LocalDateTime local) {
        return local.atZone(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    private Span span(String field, ValueKind kind, FilterValue v) {
        String s = text(field, v);
        try {
            if (s.length() == 10) {
                LocalDate day = LocalDate.parse(s);
                LocalDateTime start = day.atStartOfDay();
                LocalDateTime end = day.plusDays(1).atStartOfDay();
                return kind == ValueKind.TIMESTAMP_UTC ? new Span(toUtc(start), toUtc(end)) : new Span(start, end);
            }
            if (s.length() <= 40 && WITH_OFFSET.matcher(s).matches()) {
                Instant instant = OffsetDateTime.parse(s).toInstant();
                return new Span(kind == ValueKind.TIMESTAMP_UTC ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC)
                        : LocalDateTime.ofInstant(instant, zone), null);
            }
            LocalDateTime local = LocalDateTime.parse(s);
            return new Span(kind == ValueKind.TIMESTAMP_UTC ? toUtc(local) : local, null);
        } catch (DateTimeParseException e) {
            throw new Refusal("Filter on \"" + field + "\": expects dates (YYYY-MM-DD) or timestamps (YYYY-MM-DDThh:mm:ss), got "
                    + shown(s) + ".");
        }
    }

    private static Object value(String field, ValueKind kind, FilterValue v) {
        return switch (kind) {
            case STRING -> text(field, v);
            case NUMBER -> switch (v) {
                case FilterValue.Number n -> n.value();
                case FilterValue.Text t -> throw new Refusal("Filter on \"" + field + "\": expects numbers, got text.");
                case FilterValue.Bool b -> throw new Refusal("Filter on \"" + field + "\": expects numbers, got a boolean.");
            };
            case BOOLEAN -> switch (v) {
                case FilterValue.Bool b -> b.value();
                case FilterValue.Text t -> throw new Refusal("Filter on \"" + field + "\": expects true or false.");
                case FilterValue.Number n -> throw new Refusal("Filter on \"" + field + "\": expects true or false.");
            };
            case DATE -> {
                String s = text(field, v);
                try {
                    yield LocalDate.parse(s);
                } catch (DateTimeParseException e) {
                    throw new Refusal("Filter on \"" + field + "\": expects dates (YYYY-MM-DD), got " + shown(s) + ".");
                }
            }
            case TIMESTAMP_UTC, TIMESTAMP_LOCAL -> throw new IllegalStateException("timestamps are spans");
        };
    }

    private static String text(String field, FilterValue v) {
        return switch (v) {
            case FilterValue.Text t -> t.value();
            case FilterValue.Number n -> throw new Refusal("Filter on \"" + field + "\": expects text values, got a number.");
            case FilterValue.Bool b -> throw new Refusal("Filter on \"" + field + "\": expects text values, got a boolean.");
        };
    }

    private static String shown(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "\"" + cut.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }


}
