package dev.warden.server.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgId;
import dev.warden.server.tenancy.AccessGenerations;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Groups that disagree on a single-valued attribute give no value, and no default fills it in. */
class DisagreeingGroupsTest {
    @Test
    void anExplicitNoValueKeepsTheDefaultAway() {
        AttributeRepository repository = new AttributeRepository(null, null) {
            @Override
            public List<Definition> definitions(OrgId org) {
                return List.of(new Definition("region", "string", false, "all", ""),
                        new Definition("tier", "string", false, "basic", ""));
            }
        };
        AccessGenerations noCaching = new AccessGenerations(null) {
            @Override
            public long current(OrgId org) {
                return -1; // no generation: every read goes to the repository
            }
        };
        UserAttributes attributes = new UserAttributes(repository, noCaching);
        Map<String, List<String>> defaults = attributes.defaultsFor(OrgId.random(),
                Map.of("region", List.of(), "tier", List.of("gold")));
        assertThat(defaults).doesNotContainKey("region").containsEntry("tier", List.of("basic"));
    }
}
