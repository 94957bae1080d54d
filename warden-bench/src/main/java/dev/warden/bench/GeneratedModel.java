package dev.warden.bench;

/**
 * A large model for benchmarks: {@code views} views, each with dimensions, measures, grants and a
 * derived expression, and one topic per view joining the next view (many_to_one) and the one
 * after (one_to_many), under default access filters and a default grant.
 */
final class GeneratedModel {
    private GeneratedModel() {}

    static String yaml(int views) {
        StringBuilder y = new StringBuilder(views * 2_000);
        y.append("""
                connection: bench
                default_topic_access_filters:
                  - field: v0.region
                    user_attribute: region
                    values_for_unfiltered: [all]
                access_grants:
                  finance: { user_attribute: department, allowed_values: [finance, exec] }
                  pii: { user_attribute: pii_access, allowed_values: ["yes"] }
                  staff: { user_attribute: staff, allowed_values: ["true"] }
                default_topic_required_access_grants: [staff]
                views:
                """);
        for (int i = 0; i < views; i++) {
            y.append("  v").append(i).append(":\n")
                    .append("    table: warehouse.table_").append(i).append('\n')
                    .append("    primary_key: id\n")
                    .append("    dimensions:\n")
                    .append("      id: { type: number, hidden: true }\n")
                    .append("      next_id: { type: number, hidden: true }\n")
                    .append("      parent_id: { type: number, hidden: true }\n")
                    .append("      name: { type: string, label: \"Name ").append(i).append("\" }\n")
                    .append("      region: { type: string }\n")
                    .append("      status: { type: string, description: \"Lifecycle state\" }\n")
                    .append("      created_at: { type: timestamp, timeframes: [date, week, month, quarter, year] }\n")
                    .append("      amount: { type: number, sql: \"${TABLE}.amount_cents / 100.0\" }\n")
                    .append("      band: { type: string, sql: \"CASE WHEN ${amount} > 100 THEN 'high' ELSE 'low' END\" }\n")
                    .append("      email: { type: string, required_access_grants: [pii] }\n")
                    .append("    measures:\n")
                    .append("      count: { type: count }\n")
                    .append("      total: { type: sum, sql: \"${amount}\", format: usd }\n")
                    .append("      average: { type: avg, sql: \"${amount}\" }\n")
                    .append("      names: { type: count_distinct, sql: \"${name}\" }\n")
                    .append("      done: { type: count, filters: { status: [complete, shipped] } }\n")
                    .append("      margin: { type: number, sql: \"${total} * 0.3\", required_access_grants: [finance] }\n");
        }
        y.append("topics:\n");
        for (int i = 0; i < views - 2; i++) {
            String base = "v" + i;
            String one = "v" + (i + 1);
            String many = "v" + (i + 2);
            y.append("  t").append(i).append(":\n")
                    .append("    base_view: ").append(base).append('\n')
                    .append("    curated: ").append(i % 2 == 0).append('\n')
                    .append("    joins:\n")
                    .append("      ").append(one).append(": { on: \"${").append(base).append(".next_id} = ${").append(one)
                    .append(".id}\", relationship: many_to_one }\n")
                    .append("      ").append(many).append(": { on: \"${").append(many).append(".parent_id} = ${").append(base)
                    .append(".id}\", relationship: one_to_many }\n")
                    .append("    access_filters:\n")
                    .append("      - { field: ").append(base).append(".region, user_attribute: region, values_for_unfiltered: [all] }\n")
                    .append("    always_where: \"${").append(base).append(".status} <> 'test'\"\n");
        }
        return y.toString();
    }

    /** A query of 10 fields, 3 filters and 2 joins on topic {@code t<i>}. */
    static String query(int i) {
        String b = "v" + i;
        String one = "v" + (i + 1);
        String many = "v" + (i + 2);
        return """
                {"topic":"t%1$d",
                 "fields":["%2$s.status","%2$s.created_at[month]","%2$s.band","%3$s.name","%2$s.count","%2$s.total","%2$s.average",
                           "%2$s.done","%3$s.count","%4$s.total"],
                 "filters":[{"field":"%2$s.created_at","op":"between","values":["2025-01-01","2025-06-30"]},
                            {"field":"%2$s.status","op":"in","values":["complete","shipped"]},
                            {"field":"%2$s.total","op":"gt","values":[1000]}],
                 "sorts":[{"field":"%2$s.total","direction":"desc"}],
                 "limit":500,"timezone":"Europe/Paris"}""".formatted(i, b, one, many);
    }
}
