package dev.warden.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.OrgRole;
import dev.warden.server.access.UserId;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * People and groups as an org admin sees them through the API: CRUD in snake_case JSON, emails
 * normalised, members only from the same org, an org never left without an active admin, and
 * every change audited once, with before and after, in its own org and no other.
 */
class PeopleAndGroupsTest extends ApiTest {
    @Autowired
    JdbcClient jdbc;

    // ---------------------------------------------------------------- users

    @Test
    void usersCanBeCreatedReadChangedAndDeleted() {
        Fixtures.TestOrg org = fixtures.org();
        String key = org.admin().key();

        Api.Response created = api().post(key, "/api/v1/users",
                Map.of("email", "  Alice.Smith@Example.COM ", "display_name", "Alice Smith", "org_role", "MEMBER"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode alice = created.json();
        assertThat(alice.path("email").asString()).isEqualTo("alice.smith@example.com");
        assertThat(alice.path("display_name").asString()).isEqualTo("Alice Smith");
        assertThat(alice.path("org_role").asString()).isEqualTo("MEMBER");
        assertThat(alice.path("disabled").asBoolean()).isFalse();
        assertThat(alice.path("created_at").asString()).isNotBlank();
        assertThat(alice.path("updated_at").asString()).isNotBlank();
        assertThat(alice.has("displayName") || alice.has("orgRole") || alice.has("createdAt")).isFalse();
        String id = alice.path("id").asString();
        UUID.fromString(id);

        Api.Response read = api().get(key, "/api/v1/users/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("email").asString()).isEqualTo("alice.smith@example.com");

        Api.Response list = api().get(key, "/api/v1/users");
        assertThat(list.status()).isEqualTo(200);
        assertThat(emails(list.json())).containsExactlyInAnyOrder(org.admin().email(), "alice.smith@example.com");

        Api.Response changed = api().patch(key, "/api/v1/users/" + id, Map.of("display_name", "Alice S."));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("display_name").asString()).isEqualTo("Alice S.");
        assertThat(changed.json().path("email").asString()).isEqualTo("alice.smith@example.com");
        assertThat(api().get(key, "/api/v1/users/" + id).json().path("display_name").asString()).isEqualTo("Alice S.");

        // No display name given: the email stands in for it; no role given: MEMBER.
        Api.Response bare = api().post(key, "/api/v1/users", Map.of("email", "Bob@Example.com"));
        assertThat(bare.status()).isEqualTo(201);
        assertThat(bare.json().path("display_name").asString()).isEqualTo("bob@example.com");
        assertThat(bare.json().path("org_role").asString()).isEqualTo("MEMBER");

        assertThat(api().delete(key, "/api/v1/users/" + id).status()).isEqualTo(204);
        assertThat(api().get(key, "/api/v1/users/" + id).status()).isEqualTo(404);
        assertThat(api().delete(key, "/api/v1/users/" + id).status()).isEqualTo(404);
        assertThat(emails(api().get(key, "/api/v1/users").json())).doesNotContain("alice.smith@example.com");
    }

    @Test
    void aDuplicateEmailIsAConflictWhateverItsCase() {
        Fixtures.TestOrg org = fixtures.org();
        String key = org.admin().key();
        assertThat(api().post(key, "/api/v1/users", Map.of("email", "dup@example.com")).status()).isEqualTo(201);
        long users = users(org.id());
        long events = events(org.id());

        for (String email : List.of("dup@example.com", "DUP@Example.Com", " dup@example.com ")) {
            Api.Response again = api().post(key, "/api/v1/users", Map.of("email", email));
            assertThat(again.status()).as(email).isEqualTo(409);
            assertThat(again.contentType()).startsWith("application/problem+json");
        }
        assertThat(users(org.id())).isEqualTo(users);
        assertThat(events(org.id())).isEqualTo(events);

        // The same email in another org is another person, not a conflict.
        Fixtures.TestOrg other = fixtures.org();
        assertThat(api().post(other.admin().key(), "/api/v1/users", Map.of("email", "dup@example.com")).status())
                .isEqualTo(201);
    }

    @Test
    void emailIsNotChangedThroughPatch() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person member = fixtures.person(org, OrgRole.MEMBER);
        Api.Response response = api().patch(org.admin().key(), "/api/v1/users/" + member.id(),
                Map.of("email", "new@example.com"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(api().get(org.admin().key(), "/api/v1/users/" + member.id()).json().path("email").asString())
                .isEqualTo(member.email());
    }

    // ---------------------------------------------------------------- groups

    @Test
    void groupsCanBeCreatedReadChangedAndDeleted() {
        Fixtures.TestOrg org = fixtures.org();
        String key = org.admin().key();
        Fixtures.Person ann = fixtures.person(org, OrgRole.MEMBER);
        Fixtures.Person ben = fixtures.person(org, OrgRole.MEMBER);

        Api.Response created = api().post(key, "/api/v1/groups",
                Map.of("name", "  Finance ", "description", "money people", "members", List.of(ann.id().toString())));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode group = created.json();
        assertThat(group.path("name").asString()).isEqualTo("Finance");
        assertThat(group.path("description").asString()).isEqualTo("money people");
        assertThat(ids(group.path("members"))).containsExactly(ann.id().toString());
        assertThat(group.path("created_at").asString()).isNotBlank();
        assertThat(group.path("updated_at").asString()).isNotBlank();
        String id = group.path("id").asString();

        assertThat(api().get(key, "/api/v1/groups/" + id).json().path("name").asString()).isEqualTo("Finance");
        Api.Response list = api().get(key, "/api/v1/groups");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().size()).isEqualTo(1);

        Api.Response renamed = api().patch(key, "/api/v1/groups/" + id,
                Map.of("name", "Finance EU", "members", List.of(ann.id().toString(), ben.id().toString())));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().path("name").asString()).isEqualTo("Finance EU");
        assertThat(renamed.json().path("description").asString()).isEqualTo("money people");
        assertThat(ids(api().get(key, "/api/v1/groups/" + id).json().path("members")))
                .containsExactlyInAnyOrder(ann.id().toString(), ben.id().toString());

        // Another group may not take the same name.
        assertThat(api().post(key, "/api/v1/groups", Map.of("name", "Finance EU")).status()).isEqualTo(409);
        Api.Response other = api().post(key, "/api/v1/groups", Map.of("name", "Sales"));
        assertThat(other.status()).isEqualTo(201);
        assertThat(api().patch(key, "/api/v1/groups/" + other.json().path("id").asString(),
                Map.of("name", "Finance EU")).status()).isEqualTo(409);

        assertThat(api().delete(key, "/api/v1/groups/" + id).status()).isEqualTo(204);
        assertThat(api().get(key, "/api/v1/groups/" + id).status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM group_members WHERE group_id = ?").param(UUID.fromString(id))
                .query(Long.class).single()).isZero();
    }

    @Test
    void aMemberOfAnotherOrgIsRefusedExactlyLikeAMadeUpId() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.TestOrg other = fixtures.org();
        String key = org.admin().key();
        Fixtures.Person ours = fixtures.person(org, OrgRole.MEMBER);
        Fixtures.Person theirs = fixtures.person(other, OrgRole.MEMBER);
        UUID madeUp = UUID.randomUUID();

        Api.Response group = api().post(key, "/api/v1/groups", Map.of("name", "Team", "members", List.of(ours.id().toString())));
        assertThat(group.status()).isEqualTo(201);
        String id = group.json().path("id").asString();
        long events = events(org.id());
        long members = jdbc.sql("SELECT COUNT(*) FROM group_members").query(Long.class).single();

        Api.Response foreignOnCreate = api().post(key, "/api/v1/groups",
                Map.of("name", "Spies", "members", List.of(theirs.id().toString())));
        Api.Response madeUpOnCreate = api().post(key, "/api/v1/groups",
                Map.of("name", "Spies", "members", List.of(madeUp.toString())));
        assertSameRefusal(foreignOnCreate, theirs.id().toString(), madeUpOnCreate, madeUp.toString());

        Api.Response foreignOnChange = api().patch(key, "/api/v1/groups/" + id,
                Map.of("members", List.of(ours.id().toString(), theirs.id().toString())));
        Api.Response madeUpOnChange = api().patch(key, "/api/v1/groups/" + id,
                Map.of("members", List.of(ours.id().toString(), madeUp.toString())));
        assertSameRefusal(foreignOnChange, theirs.id().toString(), madeUpOnChange, madeUp.toString());

        // Nothing changed: the group, its members, the audit log.
        JsonNode after = api().get(key, "/api/v1/groups/" + id).json();
        assertThat(ids(after.path("members"))).containsExactly(ours.id().toString());
        assertThat(api().get(key, "/api/v1/groups").json().size()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM group_members").query(Long.class).single()).isEqualTo(members);
        assertThat(events(org.id())).isEqualTo(events);
    }

    @Test
    void deletingAUserRemovesThemFromGroupsAndKillsTheirKeys() {
        Fixtures.TestOrg org = fixtures.org();
        String key = org.admin().key();
        Api.Response created = api().post(key, "/api/v1/users", Map.of("email", "leaver@example.com"));
        UserId leaver = new UserId(UUID.fromString(created.json().path("id").asString()));
        Fixtures.Person stayer = fixtures.person(org, OrgRole.MEMBER);
        String leaverKey = fixtures.key(org.id(), leaver);
        String secondKey = fixtures.key(org.id(), leaver);
        assertThat(api().get(leaverKey, "/api/v1/me").status()).isEqualTo(200);

        String group = api().post(key, "/api/v1/groups", Map.of("name", "Both",
                "members", List.of(leaver.toString(), stayer.id().toString()))).json().path("id").asString();

        assertThat(api().delete(key, "/api/v1/users/" + leaver).status()).isEqualTo(204);

        assertThat(ids(api().get(key, "/api/v1/groups/" + group).json().path("members")))
                .containsExactly(stayer.id().toString());
        assertThat(api().get(leaverKey, "/api/v1/me").status()).isEqualTo(401);
        assertThat(api().get(secondKey, "/api/v1/me").status()).isEqualTo(401);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE user_id = ?").param(leaver.value())
                .query(Long.class).single()).isZero();
        assertThat(api().get(stayer.key(), "/api/v1/me").status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- the last admin

    @Test
    void theLastActiveAdminCannotBeDemotedDisabledOrDeleted() {
        Fixtures.TestOrg org = fixtures.org();
        String key = org.admin().key();
        String self = "/api/v1/users/" + org.admin().id();
        long events = events(org.id());

        for (Api.Response refused : List.of(
                api().patch(key, self, Map.of("org_role", "MEMBER")),
                api().patch(key, self, Map.of("disabled", true)),
                api().patch(key, self, Map.of("org_role", "MEMBER", "disabled", true)),
                api().delete(key, self))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("detail").asString()).contains("admin");
        }
        JsonNode admin = api().get(key, self).json();
        assertThat(admin.path("org_role").asString()).isEqualTo("ORG_ADMIN");
        assertThat(admin.path("disabled").asBoolean()).isFalse();
        assertThat(events(org.id())).isEqualTo(events);

        // A disabled admin is no admin: it does not make the active one removable.
        Api.Response sleeper = api().post(key, "/api/v1/users", Map.of("email", "sleeper@example.com", "org_role", "ORG_ADMIN"));
        assertThat(sleeper.status()).isEqualTo(201);
        assertThat(api().patch(key, "/api/v1/users/" + sleeper.json().path("id").asString(), Map.of("disabled", true))
                .status()).isEqualTo(200);
        assertThat(api().patch(key, self, Map.of("org_role", "MEMBER")).status()).isEqualTo(409);

        // Once another active admin exists, the first may step down.
        Api.Response second = api().post(key, "/api/v1/users", Map.of("email", "second@example.com", "org_role", "ORG_ADMIN"));
        assertThat(second.status()).isEqualTo(201);
        UserId secondId = new UserId(UUID.fromString(second.json().path("id").asString()));
        String secondKey = fixtures.key(org.id(), secondId);
        Api.Response demoted = api().patch(key, self, Map.of("org_role", "MEMBER"));
        assertThat(demoted.status()).isEqualTo(200);
        assertThat(demoted.json().path("org_role").asString()).isEqualTo("MEMBER");

        // Now the second is the last active admin, and is protected in turn.
        String secondPath = "/api/v1/users/" + secondId;
        assertThat(api().patch(secondKey, secondPath, Map.of("disabled", true)).status()).isEqualTo(409);
        assertThat(api().delete(secondKey, secondPath).status()).isEqualTo(409);
        // ...while the demoted first admin can now be deleted by them.
        assertThat(api().delete(secondKey, self).status()).isEqualTo(204);
        assertThat(api().get(secondKey, "/api/v1/me").json().path("org_role").asString()).isEqualTo("ORG_ADMIN");
    }

    @Test
    void anotherAdminCanDisableOrDeleteAnAdmin() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person second = fixtures.person(org, OrgRole.ORG_ADMIN);
        assertThat(api().patch(second.key(), "/api/v1/users/" + org.admin().id(), Map.of("disabled", true)).status())
                .isEqualTo(200);
        assertThat(api().get(org.admin().key(), "/api/v1/me").status()).isEqualTo(401);
        assertThat(api().patch(second.key(), "/api/v1/users/" + org.admin().id(), Map.of("disabled", false)).status())
                .isEqualTo(200);
        assertThat(api().get(org.admin().key(), "/api/v1/me").status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- audit

    @Test
    void everyChangeWritesOneAuditEventWithBeforeAndAfterInItsOwnOrgOnly() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.TestOrg bystander = fixtures.org();
        String key = org.admin().key();
        long bystanderEvents = events(bystander.id());

        String user = api().post(key, "/api/v1/users", Map.of("email", "audited@example.com", "display_name", "Before"))
                .json().path("id").asString();
        assertThat(api().patch(key, "/api/v1/users/" + user, Map.of("display_name", "After", "org_role", "ORG_ADMIN"))
                .status()).isEqualTo(200);
        String group = api().post(key, "/api/v1/groups", Map.of("name", "G1", "members", List.of(user)))
                .json().path("id").asString();
        assertThat(api().patch(key, "/api/v1/groups/" + group, Map.of("name", "G2", "members", List.of())).status())
                .isEqualTo(200);
        assertThat(api().delete(key, "/api/v1/groups/" + group).status()).isEqualTo(204);
        assertThat(api().delete(key, "/api/v1/users/" + user).status()).isEqualTo(204);

        JsonNode userCreate = onlyEvent(key, "user.create", user);
        assertThat(userCreate.path("details").path("after").path("email").asString()).isEqualTo("audited@example.com");
        assertThat(userCreate.path("details").path("after").path("display_name").asString()).isEqualTo("Before");
        assertThat(userCreate.path("actor").path("label").asString()).isEqualTo(org.admin().email());
        assertThat(userCreate.path("actor").path("id").asString()).isEqualTo(org.admin().id().toString());
        assertThat(userCreate.path("request_id").asString()).isNotBlank();

        JsonNode userUpdate = onlyEvent(key, "user.update", user);
        assertThat(userUpdate.path("details").path("before").path("display_name").asString()).isEqualTo("Before");
        assertThat(userUpdate.path("details").path("before").path("org_role").asString()).isEqualTo("MEMBER");
        assertThat(userUpdate.path("details").path("after").path("display_name").asString()).isEqualTo("After");
        assertThat(userUpdate.path("details").path("after").path("org_role").asString()).isEqualTo("ORG_ADMIN");

        JsonNode userDelete = onlyEvent(key, "user.delete", user);
        assertThat(userDelete.path("details").path("before").path("email").asString()).isEqualTo("audited@example.com");

        JsonNode groupCreate = onlyEvent(key, "group.create", group);
        assertThat(groupCreate.path("details").path("after").path("name").asString()).isEqualTo("G1");
        assertThat(ids(groupCreate.path("details").path("after").path("members"))).containsExactly(user);

        JsonNode groupUpdate = onlyEvent(key, "group.update", group);
        assertThat(groupUpdate.path("details").path("before").path("name").asString()).isEqualTo("G1");
        assertThat(groupUpdate.path("details").path("after").path("name").asString()).isEqualTo("G2");
        assertThat(ids(groupUpdate.path("details").path("before").path("members"))).containsExactly(user);
        assertThat(groupUpdate.path("details").path("after").path("members").size()).isZero();

        JsonNode groupDelete = onlyEvent(key, "group.delete", group);
        assertThat(groupDelete.path("details").path("before").path("name").asString()).isEqualTo("G2");

        // Nothing of this reached the other org's log, which still verifies.
        assertThat(events(bystander.id())).isEqualTo(bystanderEvents);
        for (String action : List.of("user.update", "user.delete", "group.create", "group.update", "group.delete")) {
            assertThat(api().get(bystander.admin().key(), "/api/v1/audit-events?action=" + action).json()
                    .path("events").size()).as(action).isZero();
        }
        assertThat(api().get(key, "/api/v1/audit-events/verify").json().path("valid").asBoolean()).isTrue();
        assertThat(api().get(bystander.admin().key(), "/api/v1/audit-events/verify").json().path("valid").asBoolean())
                .isTrue();
    }

    @Test
    void aMemberCannotManagePeopleOrGroups() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person member = fixtures.person(org, OrgRole.MEMBER);
        long users = users(org.id());
        assertThat(api().get(member.key(), "/api/v1/users").status()).isEqualTo(403);
        assertThat(api().post(member.key(), "/api/v1/users", Map.of("email", "x@example.com")).status()).isEqualTo(403);
        assertThat(api().patch(member.key(), "/api/v1/users/" + member.id(), Map.of("org_role", "ORG_ADMIN")).status())
                .isEqualTo(403);
        assertThat(api().post(member.key(), "/api/v1/groups", Map.of("name", "mine")).status()).isEqualTo(403);
        assertThat(users(org.id())).isEqualTo(users);
        assertThat(api().get(member.key(), "/api/v1/me").json().path("org_role").asString()).isEqualTo("MEMBER");
    }

    // ---------------------------------------------------------------- no passwords

    @Test
    void thereIsNoPasswordColumnAnywhere() {
        List<String> columns = jdbc.sql("""
                        SELECT LOWER(table_name) || '.' || LOWER(column_name) FROM information_schema.columns
                        WHERE LOWER(table_schema) = LOWER(CURRENT_SCHEMA)""")
                .query(String.class).list();
        assertThat(columns).as("the query sees the application's tables").contains("users.email", "api_keys.secret_hash");
        assertThat(columns).filteredOn(c -> c.contains("pass") || c.contains("pwd")).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private JsonNode onlyEvent(String key, String action, String targetId) {
        Api.Response response = api().get(key, "/api/v1/audit-events?limit=1000&action=" + action);
        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode e : response.json().path("events")) {
            assertThat(e.path("action").asString()).isEqualTo(action);
            if (e.path("target").path("id").asString().equals(targetId)) {
                matching.add(e);
            }
        }
        assertThat(matching).as(action + " events for " + targetId).hasSize(1);
        return matching.getFirst();
    }

    private static void assertSameRefusal(Api.Response foreign, String foreignId, Api.Response madeUp, String madeUpId) {
        assertThat(foreign.status()).as(foreign.body()).isEqualTo(400);
        assertThat(madeUp.status()).as(madeUp.body()).isEqualTo(400);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        JsonNode a = foreign.json();
        JsonNode b = madeUp.json();
        assertThat(a.path("type").asString()).isEqualTo(b.path("type").asString());
        assertThat(a.path("title").asString()).isEqualTo(b.path("title").asString());
        assertThat(a.path("detail").asString().replace(foreignId, "ID"))
                .isEqualTo(b.path("detail").asString().replace(madeUpId, "ID"));
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.asString()));
        return ids;
    }

    private static List<String> emails(JsonNode users) {
        List<String> emails = new ArrayList<>();
        users.forEach(u -> emails.add(u.path("email").asString()));
        return emails;
    }

    private long users(OrgId org) {
        return jdbc.sql("SELECT COUNT(*) FROM users WHERE org_id = ?").param(org.value()).query(Long.class).single();
    }

    private long events(OrgId org) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE org_id = ?").param(org.value()).query(Long.class).single();
    }
}
