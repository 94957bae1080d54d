package dev.warden.server.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.demo.DemoOrgs;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Issue 6 from the admin's side, over the demo model and warehouse: what each demo person sees
 * (topics, fields, rows), how attribute values combine, that changes apply on the very next
 * request even with the cache warm, view-as, and explain. Every expected value is written out
 * here (from demo/README.md and plain SQL on the generated data), never computed by Warden.
 */
class GovernedAccessTest extends ApiTest {
    private static final String FIXED_QUERY = """
            {"topic": "orders", "fields": ["orders.region", "orders.count", "orders.total_amount"],
             "sorts": [{"field": "orders.region", "direction": "asc"}]}""";
    private static final String EAST = "[\"east\",242102,44289854.89]";
    private static final String NORTH = "[\"north\",291190,53134328.04]";
    private static final String SOUTH = "[\"south\",241379,43990864.42]";
    private static final String WEST = "[\"west\",195324,35725469.39]";

    /** person -> topics they may query (GET /api/v1/topics). */
    private static final Map<String, Set<String>> TOPICS = Map.of(
            "ava", Set.of("orders", "customers", "finance", "catalog"),
            "ben", Set.of("orders", "customers", "catalog"),
            "cara", Set.of("orders", "finance", "catalog"),
            "dan", Set.of(),
            "gwen", Set.of("orders", "customers", "catalog"),
            "gus", Set.of("orders", "customers", "finance", "catalog"),
            "gia", Set.of("orders", "catalog"));

    /** person -> whether they see users.email and orders.gross_margin in the orders topic. */
    private static final Map<String, List<Boolean>> FIELDS = Map.of(
            "ava", List.of(true, true),
            "ben", List.of(false, false),
            "cara", List.of(false, true),
            "gwen", List.of(false, false),
            "gus", List.of(true, true),
            "gia", List.of(false, false));

    /** person -> the fixed query's rows, or the HTTP status of the refusal. */
    private static final Map<String, Object> ROWS = Map.of(
            "ava", List.of(EAST, NORTH, SOUTH, WEST),
            "ben", List.of(NORTH),
            "cara", List.of(SOUTH),
            "dan", 403,
            "gwen", List.of(EAST, NORTH, SOUTH, WEST),
            "gus", List.of(EAST, WEST),
            "gia", 400);

    @Autowired
    DemoOrgs demo;

    @BeforeAll
    static void demoWarehouse() {
        dev.warden.server.support.QueryFixtures.ensureDemoWarehouse();
    }

    private Map<String, DemoOrgs.Person> demoPeople() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, DemoOrgs.Person> people = new java.util.HashMap<>();
        demo.create("acme-" + suffix, "acme", DemoOrgs.model()).people().forEach(p -> people.put(p.name(), p));
        demo.create("globex-" + suffix, "globex", DemoOrgs.model()).people().forEach(p -> people.put(p.name(), p));
        return people;
    }

    @Test
    void eachDemoPersonSeesExactlyTheirTopicsFieldsAndRows() {
        Map<String, DemoOrgs.Person> people = demoPeople();
        for (String name : TOPICS.keySet()) {
            DemoOrgs.Person p = people.get(name);
            Api.Response topics = api().get(p.key(), "/api/v1/topics");
            assertThat(topics.status()).as(name).isEqualTo(200);
            Set<String> listed = new TreeSet<>();
            topics.json().forEach(t -> listed.add(t.path("name").asString()));
            assertThat(listed).as("topics of " + name).isEqualTo(new TreeSet<>(TOPICS.get(name)));

            if (FIELDS.containsKey(name)) {
                Set<String> fields = fieldsOf(api().get(p.key(), "/api/v1/topics/orders").json());
                assertThat(fields.contains("users.email")).as(name + " sees users.email").isEqualTo(FIELDS.get(name).get(0));
                assertThat(fields.contains("orders.gross_margin")).as(name + " sees orders.gross_margin")
                        .isEqualTo(FIELDS.get(name).get(1));
            }

            Api.Response result = query(p.key(), FIXED_QUERY);
            Object expected = ROWS.get(name);
            if (expected instanceof Integer status) {
                assertThat(result.status()).as(name + ": " + result.body()).isEqualTo(status);
            } else {
                assertThat(result.status()).as(name + ": " + result.body()).isEqualTo(200);
                assertThat(rows(result)).as("rows of " + name).isEqualTo(expected);
            }
        }
        // a denied field answers exactly like a field that was never defined
        Api.Response denied = query(people.get("ben").key(), """
                {"topic": "orders", "fields": ["users.email"]}""");
        Api.Response unknown = query(people.get("ben").key(), """
                {"topic": "orders", "fields": ["users.no_such_field"]}""");
        assertThat(denied.status()).isEqualTo(unknown.status()).isEqualTo(400);
        assertThat(denied.json().path("detail").asString().replace("users.email", "X"))
                .isEqualTo(unknown.json().path("detail").asString().replace("users.no_such_field", "X"));
    }

    @Test
    void ownValuesBeatGroupValuesMultiValuedGroupsUniteAndDisagreeingSingleValuedGroupsGiveNoValue() {
        Map<String, DemoOrgs.Person> people = demoPeople();
        String admin = people.get("ava").key();
        DemoOrgs.Person ben = people.get("ben");
        DemoOrgs.Person dan = people.get("dan");
        assertThat(api().post(admin, "/api/v1/user-attributes",
                Map.of("name", "tier", "type", "string", "multi_valued", false)).status()).isEqualTo(201);
        String north = group(admin, "north-team", List.of(ben.id().value(), dan.id().value()));
        String east = group(admin, "east-team", List.of(dan.id().value()));
        put(admin, "/api/v1/groups/" + north + "/attributes/region", List.of("north", "south"));
        put(admin, "/api/v1/groups/" + east + "/attributes/region", List.of("east"));
        put(admin, "/api/v1/groups/" + north + "/attributes/tier", List.of("gold"));
        put(admin, "/api/v1/groups/" + east + "/attributes/tier", List.of("silver"));

        // ben has his own region (north): it wins over his group's [north, south]
        assertThat(me(ben).path("attributes").path("region").toString()).isEqualTo("[\"north\"]");
        // dan has his own region too; drop it and he gets the union of his groups', groups in name order
        assertThat(api().delete(admin, "/api/v1/users/" + dan.id() + "/attributes/region").status()).isEqualTo(204);
        assertThat(me(dan).path("attributes").path("region").toString()).isEqualTo("[\"east\",\"north\",\"south\"]");
        // single-valued tier: ben's only group says gold; dan's two groups disagree, so he has none
        assertThat(me(ben).path("attributes").path("tier").toString()).isEqualTo("[\"gold\"]");
        assertThat(me(dan).path("attributes").path("tier").toString()).isEqualTo("[]");
        // and the admin's view says where each value comes from
        JsonNode view = api().get(admin, "/api/v1/users/" + dan.id() + "/attributes").json();
        assertThat(view.path("from_groups").path("region")).hasSize(2);
        assertThat(view.path("own").has("region")).isFalse();
        // system attributes are filled by Warden
        assertThat(me(dan).path("attributes").path("warden_user_groups").toString()).isEqualTo("[\"east-team\",\"north-team\"]");
        assertThat(api().put(admin, "/api/v1/users/" + dan.id() + "/attributes/warden_user_email",
                Map.of("values", List.of("x@y.z"))).status()).isEqualTo(409);
    }

    @Test
    void aDefaultAppliesToPeopleWithoutAValueAndNoValueDenies() {
        Map<String, DemoOrgs.Person> people = demoPeople();
        String admin = people.get("gwen").key();
        DemoOrgs.Person gia = people.get("gia");
        String orders = """
                {"topic": "orders", "fields": ["orders.count"]}""";
        assertThat(query(gia.key(), orders).status()).isEqualTo(400); // no region: denied
        assertThat(api().patch(admin, "/api/v1/user-attributes/region", Map.of("default_value", "west")).status())
                .isEqualTo(200);
        Api.Response withDefault = query(gia.key(), orders);
        assertThat(withDefault.status()).as(withDefault.body()).isEqualTo(200);
        assertThat(rows(withDefault)).containsExactly("[195324]");
    }

    @Test
    void changesOfAttributeGroupAndRoleApplyOnTheVeryNextRequestEvenWithTheCacheWarm() {
        Map<String, DemoOrgs.Person> people = demoPeople();
        String admin = people.get("ava").key();
        DemoOrgs.Person ben = people.get("ben");
        assertThat(rows(query(ben.key(), FIXED_QUERY))).containsExactly(NORTH);
        Api.Response warm = query(ben.key(), FIXED_QUERY);
        assertThat(warm.json().path("meta").path("cache").asString()).isEqualTo("hit");

        put(admin, "/api/v1/users/" + ben.id() + "/attributes/region", List.of("south"));
        Api.Response moved = query(ben.key(), FIXED_QUERY);
        assertThat(rows(moved)).containsExactly(SOUTH);
        assertThat(moved.json().path("meta").path("cache").asString()).isEqualTo("miss");

        // a group's value reaches a person without their own value at once
        api().delete(admin, "/api/v1/users/" + ben.id() + "/attributes/region");
        String team = group(admin, "west-team", List.of(ben.id().value()));
        put(admin, "/api/v1/groups/" + team + "/attributes/region", List.of("west"));
        assertThat(rows(query(ben.key(), FIXED_QUERY))).containsExactly(WEST);
        // leaving the group takes it away at once: no value, denied
        assertThat(api().patch(admin, "/api/v1/groups/" + team, Map.of("members", List.of())).status()).isEqualTo(200);
        assertThat(query(ben.key(), FIXED_QUERY).status()).isEqualTo(400);

        // a role change: cara (RESTRICTED_QUERIER) may not query the uncurated customers topic, then may
        DemoOrgs.Person cara = people.get("cara");
        String customers = """
                {"topic": "customers", "fields": ["users.count"]}""";
        assertThat(query(cara.key(), customers).status()).isEqualTo(400);
        String connection = api().get(admin, "/api/v1/connections").json().get(0).path("id").asString();
        assertThat(api().put(admin, "/api/v1/connections/" + connection + "/roles/users/" + cara.id(),
                Map.of("role", "QUERIER")).status()).isEqualTo(204);
        Api.Response nowAllowed = query(cara.key(), customers);
        assertThat(nowAllowed.status()).as(nowAllowed.body()).isEqualTo(200);
        // and taking the grant away drops her to the base role (NO_ACCESS): the topic is gone
        assertThat(api().delete(admin, "/api/v1/connections/" + connection + "/roles/users/" + cara.id()).status())
                .isEqualTo(204);
        assertThat(query(cara.key(), customers).status()).isEqualTo(400);
    }

    @Test
    void viewAsGivesTheAdminExactlyThePersonsAnswerIsAuditedAndNeverWorksForAnotherAdmin() {
        Map<String, DemoOrgs.Person> people = demoPeople();
        DemoOrgs.Person ava = people.get("ava");
        DemoOrgs.Person ben = people.get("ben");
        Api.Response own = query(ben.key(), FIXED_QUERY);
        Api.Response viewed = query(ava.key(), FIXED_QUERY.replace("{\"topic\"", "{\"as_user\": \"" + ben.id() + "\", \"topic\""));
        assertThat(viewed.status()).as(viewed.body()).isEqualTo(200);
        assertThat(rows(viewed)).isEqualTo(rows(own));
        assertThat(viewed.json().has("sql")).isFalse(); // ben is a QUERIER: no SQL for him, nor for the admin as him
        Set<String> topicsAsBen = new TreeSet<>();
        api().get(ava.key(), "/api/v1/topics?as_user=" + ben.id()).json().forEach(t -> topicsAsBen.add(t.path("name").asString()));
        assertThat(topicsAsBen).isEqualTo(new TreeSet<>(TOPICS.get("ben")));

        JsonNode events = api().get(ava.key(), "/api/v1/audit-events?action=view_as").json().path("events");
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).path("actor").path("label").asString()).isEqualTo(ava.email());
        assertThat(events.get(0).path("target").path("id").asString()).isEqualTo(ben.id().toString());
        JsonNode run = api().get(ava.key(), "/api/v1/audit-events?action=query.run&actor=" + ava.email()).json()
                .path("events").get(0);
        assertThat(run.path("details").path("as_user").asString()).isEqualTo(ben.id().toString());

        // never as another admin, never by a non-admin, never across orgs
        String second = api().post(ava.key(), "/api/v1/users", Map.of("email", "admin2@x.example", "org_role", "ORG_ADMIN"))
                .json().path("id").asString();
        assertThat(query(ava.key(), asUser(second)).status()).isEqualTo(403);
        assertThat(query(ben.key(), asUser(people.get("dan").id().toString())).status()).isEqualTo(403);
        assertThat(query(ava.key(), asUser(people.get("gus").id().toString())).status()).isEqualTo(404);
        assertThat(query(ava.key(), asUser("not-a-uuid")).status()).isEqualTo(404);
    }

    @Test
    void explainSaysWhichFiltersAndGrantsApplyWithoutShowingAttributeValues() {
        Map<String, DemoOrgs.Person> people = demoPeople();
        DemoOrgs.Person ava = people.get("ava");
        DemoOrgs.Person ben = people.get("ben");
        String margin = """
                {"as_user": "%s", "topic": "orders", "fields": ["orders.region", "orders.gross_margin"]}""".formatted(ben.id());
        Api.Response explained = api().post(ava.key(), "/api/v1/query/explain", margin);
        assertThat(explained.status()).as(explained.body()).isEqualTo(200);
        JsonNode e = explained.json();
        assertThat(e.path("compiles").asBoolean()).isFalse();
        assertThat(e.path("access_filters").get(0).path("effect").asString()).isEqualTo("applied");
        assertThat(e.path("always_where").asString()).contains("test");
        JsonNode marginField = null;
        for (JsonNode f : e.path("fields")) {
            if (f.path("field").asString().equals("orders.gross_margin")) {
                marginField = f;
            }
        }
        assertThat(marginField).isNotNull();
        assertThat(marginField.path("queryable").asBoolean()).isFalse();
        assertThat(marginField.path("reason").asString()).contains("finance_only");
        assertThat(explained.body()).doesNotContain("\"north\"", "sales");

        // a QUERIER may not explain; a MODELER may explain their own query; a member may not use as_user
        String own = """
                {"topic": "orders", "fields": ["orders.count"]}""";
        assertThat(api().post(ben.key(), "/api/v1/query/explain", own).status()).isEqualTo(403);
        assertThat(api().post(people.get("gus").key(), "/api/v1/query/explain", own).status()).isEqualTo(200);
        assertThat(api().post(ben.key(), "/api/v1/query/explain", margin).status()).isEqualTo(403);
    }

    @Test
    void anAttributeThatTheActiveModelUsesCannotBeDeletedOrRenamedAndTheRefusalSaysWhere() {
        Map<String, DemoOrgs.Person> people = demoPeople();
        String admin = people.get("ava").key();
        Api.Response delete = api().delete(admin, "/api/v1/user-attributes/department");
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.json().path("detail").asString()).contains("finance_only");
        Api.Response rename = api().patch(admin, "/api/v1/user-attributes/region", Map.of("name", "area"));
        assertThat(rename.status()).isEqualTo(409);
        assertThat(rename.json().path("detail").asString()).contains("orders");
        // an unused one goes, values and all
        assertThat(api().post(admin, "/api/v1/user-attributes", Map.of("name", "unused")).status()).isEqualTo(201);
        assertThat(api().delete(admin, "/api/v1/user-attributes/unused").status()).isEqualTo(204);
        // bad values are refused with a clear message and change nothing
        Api.Response twoForOne = api().post(admin, "/api/v1/user-attributes", Map.of("name", "level", "type", "number"));
        assertThat(twoForOne.status()).isEqualTo(201);
        String ben = people.get("ben").id().toString();
        assertThat(api().put(admin, "/api/v1/users/" + ben + "/attributes/level", Map.of("values", List.of("1", "2")))
                .status()).isEqualTo(400);
        assertThat(api().put(admin, "/api/v1/users/" + ben + "/attributes/level", Map.of("values", List.of("high")))
                .status()).isEqualTo(400);
        assertThat(api().put(admin, "/api/v1/users/" + ben + "/attributes/level", Map.of("values", List.of("3")))
                .status()).isEqualTo(200);
    }

    private Api.Response query(String key, String body) {
        return api().post(key, "/api/v1/query", body);
    }

    private static String asUser(String id) {
        return "{\"as_user\": \"" + id + "\", \"topic\": \"orders\", \"fields\": [\"orders.count\"]}";
    }

    private JsonNode me(DemoOrgs.Person p) {
        return api().get(p.key(), "/api/v1/me").json();
    }

    private String group(String admin, String name, List<UUID> members) {
        Api.Response created = api().post(admin, "/api/v1/groups", Map.of("name", name, "members", members));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private void put(String admin, String path, List<String> values) {
        Api.Response response = api().put(admin, path, Map.of("values", values));
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
    }

    private static List<String> rows(Api.Response response) {
        List<String> rows = new ArrayList<>();
        response.json().path("rows").forEach(r -> rows.add(r.toString()));
        return rows;
    }

    private static Set<String> fieldsOf(JsonNode topic) {
        Set<String> fields = new TreeSet<>();
        topic.path("views").forEach(v -> v.path("fields").forEach(f -> fields.add(f.path("name").asString())));
        return fields;
    }
}
