package dev.warden.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./warden bootstrap}: creates an org with its first admin and prints one working key,
 * once; for an existing org, or for bad options, it fails clearly and changes nothing.
 */
class BootstrapTest extends ApiTest {
    private static final Pattern KEY = Pattern.compile("wdn_[A-Za-z0-9_-]+");

    @Autowired
    Bootstrap bootstrap;

    @Autowired
    JdbcClient jdbc;

    /** What the command printed and returned. */
    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = bootstrap.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void createsAnOrgAndPrintsOneWorkingAdminKey() {
        String slug = slug();
        Run run = run("bootstrap", "--org", slug, "--admin-email", "First.Admin@" + slug + ".test");
        assertThat(run.code()).as(run.err()).isZero();
        List<String> keys = keys(run.out());
        assertThat(keys).as(run.out()).hasSize(1);

        Api.Response me = api().get(keys.getFirst(), "/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        JsonNode body = me.json();
        assertThat(body.path("org").path("slug").asString()).isEqualTo(slug);
        assertThat(body.path("org_role").asString()).isEqualTo("ORG_ADMIN");
        assertThat(body.path("actor_label").asString()).isEqualTo("first.admin@" + slug + ".test");
        // The new admin can administer at once.
        assertThat(api().get(keys.getFirst(), "/api/v1/users").status()).isEqualTo(200);
        assertThat(api().get(keys.getFirst(), "/api/v1/audit-events/verify").json().path("valid").asBoolean()).isTrue();

        // Exactly one person and one key, and the secret is nowhere in the store.
        UUID org = orgId(slug);
        assertThat(count("SELECT COUNT(*) FROM users WHERE org_id = ?", org)).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM api_keys WHERE org_id = ?", org)).isEqualTo(1);
        String secret = keys.getFirst().substring("wdn_".length() + 24 + 1); // wdn_<lookup>_<secret>
        assertThat(count("SELECT COUNT(*) FROM audit_events WHERE org_id = ? AND details LIKE ?", org,
                "%" + secret + "%")).isZero();
    }

    @Test
    void runningItAgainForTheSameOrgFailsAndChangesNothing() {
        String slug = slug();
        Run first = run("bootstrap", "--org", slug, "--admin-email", "admin@" + slug + ".test");
        assertThat(first.code()).isZero();
        String key = keys(first.out()).getFirst();
        UUID org = orgId(slug);
        Snapshot before = snapshot(org);
        String verifyBefore = api().get(key, "/api/v1/audit-events/verify").body();

        Run again = run("bootstrap", "--org", slug, "--admin-email", "intruder@elsewhere.test");
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains(slug).contains("already exists");
        assertThat(keys(again.out() + again.err())).as("no key is printed").isEmpty();

        assertThat(snapshot(org)).isEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM users WHERE email = ?", "intruder@elsewhere.test")).isZero();
        assertThat(api().get(key, "/api/v1/audit-events/verify").body()).isEqualTo(verifyBefore);
        assertThat(api().get(key, "/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void badOrMissingOptionsFailWithUsageAndCreateNothing() {
        long orgs = count("SELECT COUNT(*) FROM orgs");
        long users = count("SELECT COUNT(*) FROM users");
        long keys = count("SELECT COUNT(*) FROM api_keys");
        long events = count("SELECT COUNT(*) FROM audit_events");
        String slug = slug();

        List<String[]> bad = List.of(
                new String[] {"bootstrap"},
                new String[] {"bootstrap", "--org", slug},
                new String[] {"bootstrap", "--admin-email", "a@b.test"},
                new String[] {"bootstrap", "--org"},
                new String[] {"bootstrap", "--org", slug, "--admin-email"},
                new String[] {"bootstrap", "--org", slug, "--admin-email", "a@b.test", "--colour", "red"},
                new String[] {"bootstrap", "--org", "Bad Slug!", "--admin-email", "a@b.test"},
                new String[] {"bootstrap", "--org", "-leading-hyphen", "--admin-email", "a@b.test"},
                new String[] {"bootstrap", "--org", "x".repeat(64), "--admin-email", "a@b.test"},
                new String[] {"bootstrap", "--org", "x'; DROP TABLE orgs; --", "--admin-email", "a@b.test"},
                new String[] {"bootstrap", "--org", slug, "--admin-email", "not-an-email"},
                new String[] {"bootstrap", "--org", slug, "--admin-email", "two@at@signs.test"},
                new String[] {"bootstrap", "--org", slug, "--admin-email", " "});
        for (String[] args : bad) {
            Run run = run(args);
            String what = String.join(" ", args);
            assertThat(run.code()).as(what).isNotZero();
            assertThat(run.err()).as(what).contains("usage:").contains("--org").contains("--admin-email");
            assertThat(keys(run.out() + run.err())).as(what).isEmpty();
            assertThat(run.err()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(count("SELECT COUNT(*) FROM orgs WHERE slug = ?", slug)).isZero();
        assertThat(count("SELECT COUNT(*) FROM orgs")).isEqualTo(orgs);
        assertThat(count("SELECT COUNT(*) FROM users")).isEqualTo(users);
        assertThat(count("SELECT COUNT(*) FROM api_keys")).isEqualTo(keys);
        assertThat(count("SELECT COUNT(*) FROM audit_events")).isEqualTo(events);
    }

    @Test
    void badValuesAreNamedInTheMessage() {
        Run slug = run("bootstrap", "--org", "Bad Slug!", "--admin-email", "a@b.test");
        assertThat(slug.err()).contains("slug");
        Run email = run("bootstrap", "--org", slug(), "--admin-email", "not-an-email");
        assertThat(email.err()).contains("email");
    }

    // ---------------------------------------------------------------- helpers

    private record Snapshot(long users, long keys, long events, long headSeq, String headHash) {}

    private Snapshot snapshot(UUID org) {
        var head = jdbc.sql("SELECT seq, hash FROM audit_heads WHERE org_id = ?").param(org)
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).single();
        return new Snapshot(count("SELECT COUNT(*) FROM users WHERE org_id = ?", org),
                count("SELECT COUNT(*) FROM api_keys WHERE org_id = ?", org),
                count("SELECT COUNT(*) FROM audit_events WHERE org_id = ?", org),
                (Long) head[0], (String) head[1]);
    }

    private UUID orgId(String slug) {
        return jdbc.sql("SELECT id FROM orgs WHERE slug = ?").param(slug).query(UUID.class).single();
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    private static List<String> keys(String text) {
        Matcher m = KEY.matcher(text);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    private static String slug() {
        return "boot-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
