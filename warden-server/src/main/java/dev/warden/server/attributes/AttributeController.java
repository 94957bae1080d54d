package dev.warden.server.attributes;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.Permission;
import dev.warden.server.access.Requires;
import dev.warden.server.access.UserId;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.tenancy.People;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** User attributes: definitions, and values on people and groups (ORG_ADMIN). */
@RestController
final class AttributeController {
    private final AttributeAdministration administration;
    private final UserAttributes resolved;
    private final People people;
    private final CurrentAccess access;

    AttributeController(AttributeAdministration administration, UserAttributes resolved, People people,
                        CurrentAccess access) {
        this.administration = administration;
        this.resolved = resolved;
        this.people = people;
        this.access = access;
    }

    record Values(List<String> values) {}

    @GetMapping("/api/v1/user-attributes")
    @Requires(Permission.ATTRIBUTES_READ)
    List<Map<String, Object>> definitions() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String system : List.of(UserAttributes.USER_ID, UserAttributes.USER_EMAIL, UserAttributes.USER_GROUPS)) {
            out.add(Map.of("name", system, "type", "string", "multi_valued", system.equals(UserAttributes.USER_GROUPS),
                    "read_only", true, "description", "filled by Warden"));
        }
        administration.definitions(access.require()).forEach(d -> out.add(view(d)));
        return out;
    }

    @PostMapping("/api/v1/user-attributes")
    @ResponseStatus(HttpStatus.CREATED)
    @Requires(Permission.ATTRIBUTES_WRITE)
    Map<String, Object> define(@RequestBody AttributeAdministration.NewDefinition request) {
        return view(administration.define(access.require(), request));
    }

    @PatchMapping("/api/v1/user-attributes/{name}")
    @Requires(Permission.ATTRIBUTES_WRITE)
    Map<String, Object> change(@PathVariable String name, @RequestBody AttributeAdministration.DefinitionChange change) {
        return view(administration.change(access.require(), name, change));
    }

    @DeleteMapping("/api/v1/user-attributes/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.ATTRIBUTES_WRITE)
    void undefine(@PathVariable String name) {
        administration.undefine(access.require(), name);
    }

    /** A person's values: their own, what each group gives, and what their requests carry. */
    @GetMapping("/api/v1/users/{id}/attributes")
    @Requires(Permission.ATTRIBUTES_READ)
    Map<String, Object> userValues(@PathVariable UUID id) {
        AccessContext context = access.require();
        var user = people.get(context, new UserId(id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("own", resolved.ownValuesOf(context.orgId(), user.id()));
        Map<String, Object> fromGroups = new LinkedHashMap<>();
        resolved.groupValuesOf(context.orgId(), user.id()).forEach((name, groups) -> fromGroups.put(name,
                groups.stream().map(g -> Map.of("group_id", g.groupId(), "group", g.groupName(), "values", g.values()))
                        .toList()));
        out.put("from_groups", fromGroups);
        out.put("effective", resolved.valuesOf(context.orgId(), user.id(), user.email()));
        out.put("defaults", resolved.defaults(context.orgId()));
        return out;
    }

    @PutMapping("/api/v1/users/{id}/attributes/{name}")
    @Requires(Permission.ATTRIBUTES_WRITE)
    Values setUserValues(@PathVariable UUID id, @PathVariable String name, @RequestBody Values body) {
        return new Values(administration.setUserValues(access.require(), id, name, values(body)));
    }

    @DeleteMapping("/api/v1/users/{id}/attributes/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.ATTRIBUTES_WRITE)
    void clearUserValues(@PathVariable UUID id, @PathVariable String name) {
        administration.setUserValues(access.require(), id, name, List.of());
    }

    @GetMapping("/api/v1/groups/{id}/attributes")
    @Requires(Permission.ATTRIBUTES_READ)
    Map<String, List<String>> groupValues(@PathVariable UUID id) {
        return administration.groupValues(access.require(), id);
    }

    @PutMapping("/api/v1/groups/{id}/attributes/{name}")
    @Requires(Permission.ATTRIBUTES_WRITE)
    Values setGroupValues(@PathVariable UUID id, @PathVariable String name, @RequestBody Values body) {
        return new Values(administration.setGroupValues(access.require(), id, name, values(body)));
    }

    @DeleteMapping("/api/v1/groups/{id}/attributes/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.ATTRIBUTES_WRITE)
    void clearGroupValues(@PathVariable UUID id, @PathVariable String name) {
        administration.setGroupValues(access.require(), id, name, List.of());
    }

    private static List<String> values(Values body) {
        if (body == null || body.values() == null || body.values().isEmpty()) {
            throw new InvalidRequest("values must be a non-empty list (DELETE removes them)");
        }
        return body.values();
    }

    private static Map<String, Object> view(AttributeRepository.Definition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("type", d.type());
        m.put("multi_valued", d.multiValued());
        m.put("default_value", d.defaultValue());
        m.put("description", d.description());
        m.put("read_only", false);
        return m;
    }
}
