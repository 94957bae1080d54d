package dev.warden.server.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Groups that disagree on a single-valued attribute give no value, and no default fills it in. */
class DisagreeingGroupsTest {
    @Test
    void anExplicitNoValueKeepsTheDefaultAway() {
        AttributeRepository repository = new AttributeRepository(null) {
            @Override
            public List<Definition> definitions(OrgId org) {
                return List.of(new Definition("region", "string", false, "all", ""),
                        new Definition("tier", "string", false, "basic", ""));
            }
        };
        UserAttributes attributes = new UserAttributes(repository);
        Map<String, List<String>> defaults = attributes.defaultsFor(OrgId.random(),
                Map.of("region", List.of(), "tier", List.of("gold")));
        assertThat(defaults).doesNotContainKey("region").containsEntry("tier", List.of("basic"));
    }
}
