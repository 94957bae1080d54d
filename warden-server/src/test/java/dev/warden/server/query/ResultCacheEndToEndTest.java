package dev.warden.server.query;

import static dev.warden.server.support.QueryFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.OrgRole;
import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.connections.Connections;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Fixtures;
import dev.warden.server.support.QueryFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
/**
 * The result cache, end to end: a repeated query is a hit; a person with other attributes, or
 * the same query in another org, never gets someone else's entry; {@code "cache": false}
 * bypasses it; a changed attribute applies on the very next request however warm the cache is;
 * and the on-disk tier holds no plaintext of the results it keeps.
 */
class ResultCacheEndToEndTest extends ApiTest {
    private static final Map<String, Object> QUERY = QueryFixtures.query("items",
            List.of("items.region", "items.label", "items.count"),
            "sorts", List.of(Map.of("field", "items.label", "direction", "asc")));

    @Autowired
    AttributeRepository attributes;
    @Autowired
    Connections connections;

    /** A small warehouse whose labels carry a token found nowhere else. */
    private static String warehouse(String token) {
        return QueryFixtures.itemsWarehouse("cache_" + token.toLowerCase(), "NORTH-" + token, "NORTH-" + token,
                "SOUTH-" + token);
    }

    private record Org(Fixtures.TestOrg org, String connection) {}

    private Org org(QueryFixtures q, String path) {
        Fixtures.TestOrg org = q.org("region");
        String connection = q.connection(org, Map.of("name", "wh", "type", "duckdb", "path", path));
        q.model(org, connection, "items", QueryFixtures.ITEMS_MODEL);
        return new Org(org, connection);
    }

    private Fixtures.Person person(QueryFixtures q, Org org, String region) {
        Fixtures.Person p = q.person(org.org(), OrgRole.MEMBER, Map.of("region", List.of(region)));
        q.grant(org.org(), org.connection(), p, ConnectionRole.QUERIER);
        return p;
    }

    private static String cache(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return QueryFixtures.exact(r).get("meta").get("cache").stringValue();
    }

    @Test
    void entriesNeverCrossPeopleOrOrgsAndTheDiskHoldsOnlyCiphertext() throws Exception {
        String token = "Qz" + UUID.randomUUID().toString().replace("-", "").substring(0, 14).toUpperCase();
        String path = warehouse(token);
        QueryFixtures q = new QueryFixtures(port, api(), fixtures, attributes, connections);
        Org a = org(q, path);
        Org b = org(q, path);
        Fixtures.Person north = person(q, a, "north");
        Fixtures.Person south = person(q, a, "south");
        Fixtures.Person northInB = person(q, b, "north");
        List<List<String>> northRows = List.of(List.of("north", "NORTH-" + token, "2"));
        List<List<String>> southRows = List.of(List.of("south", "SOUTH-" + token, "1"));

        Api.Response first = q.query(north, QUERY);
        assertThat(cache(first)).isEqualTo("miss");
        assertThat(rows(first)).isEqualTo(northRows);
        Api.Response second = q.query(north, QUERY);
        assertThat(cache(second)).isEqualTo("hit");
        assertThat(rows(second)).isEqualTo(northRows);

        // Another person of the same org, other attributes: their own rows, not the cached ones.
        Api.Response other = q.query(south, QUERY);
        assertThat(cache(other)).isEqualTo("miss");
        assertThat(rows(other)).isEqualTo(southRows);

        // The same query, the same attribute values, in another org: not this org's entry.
        Api.Response elsewhere = q.query(northInB, QUERY);
        assertThat(cache(elsewhere)).isEqualTo("miss");
        assertThat(rows(elsewhere)).isEqualTo(northRows);

        // "cache": false runs the query even with a warm entry.
        Map<String, Object> bypass = new HashMap<>(QUERY);
        bypass.put("cache", false);
        Api.Response bypassed = q.query(north, bypass);
        assertThat(cache(bypassed)).isEqualTo("miss");
        assertThat(rows(bypassed)).isEqualTo(northRows);
        assertThat(cache(q.query(north, QUERY))).isEqualTo("hit");

        // A changed attribute applies on the very next request, the old entry still warm.
        attributes.setValues(a.org().id(), north.id(), "region", List.of("south"));
        Api.Response moved = q.query(north, QUERY);
        assertThat(rows(moved)).isEqualTo(southRows);
        attributes.setValues(a.org().id(), north.id(), "region", List.of());
        Api.Response none = q.query(north, QUERY);
        assertThat(none.status()).as("no region: refused, never the cached rows").isEqualTo(400);

        // The disk tier: entries were written, and none holds the token in any plain form.
        Path cacheDir = Path.of("target/test-data/cache");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(cacheDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).isNotEmpty();
        byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
        byte[] utf16 = token.getBytes(StandardCharsets.UTF_16LE);
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            assertThat(indexOf(content, utf8)).as(f + " holds the token in UTF-8").isEqualTo(-1);
            assertThat(indexOf(content, utf16)).as(f + " holds the token in UTF-16").isEqualTo(-1);
            assertThat(indexOf(content, "NORTH-".getBytes(StandardCharsets.UTF_8))).as(f.toString()).isEqualTo(-1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
