package dev.warden.server.attributes;

import dev.warden.semantic.model.AttributeUsage;
import dev.warden.server.access.AccessContext;
import dev.warden.server.access.UserId;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.models.Models;
import dev.warden.server.problem.Conflict;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.problem.ResourceNotFound;
import dev.warden.server.tenancy.Groups;
import dev.warden.server.tenancy.People;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Org admins define user attributes and set their values on people and groups. Values are
 * checked against the definition (type, one value or several); a definition that an active
 * model uses cannot be deleted or renamed, and the refusal names where the model uses it.
 */
@Service
@Transactional
public class AttributeAdministration {
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final int MAX_VALUES = 1_000;
    private static final int MAX_VALUE_LENGTH = 1_000;

    private final AttributeRepository attributes;
    private final Models models;
    private final People people;
    private final Groups groups;
    private final AuditLog audit;

    public AttributeAdministration(AttributeRepository attributes, Models models, People people, Groups groups,
                                   AuditLog audit) {
        this.attributes = attributes;
        this.models = models;
        this.people = people;
        this.groups = groups;
        this.audit = audit;
    }

    public record NewDefinition(String name, String type, Boolean multiValued, String defaultValue, String description) {}

    public record DefinitionChange(Optional<String> name, Optional<String> defaultValue, Optional<String> description) {
        public DefinitionChange {
            name = name == null ? Optional.empty() : name;
            defaultValue = defaultValue == null ? Optional.empty() : defaultValue;
            description = description == null ? Optional.empty() : description;
        }
    }

    @Transactional(readOnly = true)
    public List<AttributeRepository.Definition> definitions(AccessContext context) {
        return attributes.definitions(context.orgId());
    }

    public AttributeRepository.Definition define(AccessContext context, NewDefinition request) {
        String name = name(request.name());
        if (attributes.definition(context.orgId(), name).isPresent()) {
            throw new Conflict("an attribute with that name already exists in this org");
        }
        String type = request.type() == null ? "string" : request.type();
        if (!type.equals("string") && !type.equals("number")) {
            throw new InvalidRequest("type must be string or number");
        }
        AttributeRepository.Definition d = new AttributeRepository.Definition(name, type,
                request.multiValued() != null && request.multiValued(), null, description(request.description()));
        if (request.defaultValue() != null) {
            d = withDefault(d, validValues(d, List.of(request.defaultValue())).getFirst());
        }
        attributes.define(context.orgId(), d);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "attribute.define")
                .target("attribute", name).requestId(context.requestId()).details(Map.of("after", describe(d))).build());
        return d;
    }

    public AttributeRepository.Definition change(AccessContext context, String name, DefinitionChange change) {
        AttributeRepository.Definition before = require(context, name);
        String newName = change.name().map(AttributeAdministration::name).orElse(name);
        if (!newName.equals(name)) {
            refuseIfUsed(context, name, "renamed");
            if (attributes.definition(context.orgId(), newName).isPresent()) {
                throw new Conflict("an attribute with that name already exists in this org");
            }
            attributes.rename(context.orgId(), name, newName);
        }
        AttributeRepository.Definition after = new AttributeRepository.Definition(newName, before.type(),
                before.multiValued(), before.defaultValue(), change.description().map(AttributeAdministration::description)
                .orElse(before.description()));
        if (change.defaultValue().isPresent()) {
            String value = change.defaultValue().get();
            after = withDefault(after, value.isEmpty() ? null : validValues(after, List.of(value)).getFirst());
        }
        attributes.define(context.orgId(), after);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "attribute.update")
                .target("attribute", name).requestId(context.requestId())
                .details(Map.of("before", describe(before), "after", describe(after))).build());
        return after;
    }

    public void undefine(AccessContext context, String name) {
        AttributeRepository.Definition before = require(context, name);
        refuseIfUsed(context, name, "deleted");
        attributes.undefine(context.orgId(), name);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "attribute.delete")
                .target("attribute", name).requestId(context.requestId()).details(Map.of("before", describe(before))).build());
    }

    /** Sets a person's own values; an empty list removes them (their groups' or the default then apply). */
    public List<String> setUserValues(AccessContext context, UUID userId, String name, List<String> values) {
        UserId user = people.get(context, new UserId(userId)).id();
        AttributeRepository.Definition d = require(context, name);
        List<String> before = attributes.valuesOf(context.orgId(), user).getOrDefault(name, List.of());
        List<String> after = values.isEmpty() ? List.of() : validValues(d, values);
        attributes.setValues(context.orgId(), user, name, after);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "attribute.user.set")
                .target("user", user).requestId(context.requestId())
                .details(Map.of("attribute", name, "before", before, "after", after)).build());
        return after;
    }

    public List<String> setGroupValues(AccessContext context, UUID groupId, String name, List<String> values) {
        UUID group = groups.get(context, groupId).id();
        AttributeRepository.Definition d = require(context, name);
        List<String> before = attributes.valuesOfGroup(context.orgId(), group).getOrDefault(name, List.of());
        List<String> after = values.isEmpty() ? List.of() : validValues(d, values);
        attributes.setGroupValues(context.orgId(), group, name, after);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "attribute.group.set")
                .target("group", group).requestId(context.requestId())
                .details(Map.of("attribute", name, "before", before, "after", after)).build());
        return after;
    }

    @Transactional(readOnly = true)
    public Map<String, List<String>> groupValues(AccessContext context, UUID groupId) {
        return attributes.valuesOfGroup(context.orgId(), groups.get(context, groupId).id());
    }

    private AttributeRepository.Definition require(AccessContext context, String name) {
        if (UserAttributes.SYSTEM.contains(name)) {
            throw new Conflict("system attributes are read-only: Warden fills " + name + " itself");
        }
        return attributes.definition(context.orgId(), name).orElseThrow(() -> new ResourceNotFound("attribute"));
    }

    private void refuseIfUsed(AccessContext context, String name, String verb) {
        List<String> places = new ArrayList<>();
        for (Models.Active active : models.active(context.orgId())) {
            for (AttributeUsage usage : active.model().usagesOf(name)) {
                places.add("model " + active.record().name() + ": " + usage.place() + " (" + usage.how() + ")");
            }
        }
        if (!places.isEmpty()) {
            throw new Conflict("attribute " + name + " cannot be " + verb + " while an active model uses it: "
                    + String.join("; ", places));
        }
    }

    /** The values, checked against the definition (count, length, type), without duplicates; or InvalidRequest. */
    public static List<String> validValues(AttributeRepository.Definition d, List<String> values) {
        if (values.size() > MAX_VALUES) {
            throw new InvalidRequest("at most " + MAX_VALUES + " values");
        }
        if (!d.multiValued() && values.size() != 1) {
            throw new InvalidRequest("attribute " + d.name() + " takes exactly one value");
        }
        for (String v : values) {
            if (v == null || v.isEmpty() || v.length() > MAX_VALUE_LENGTH || v.indexOf('\0') >= 0) {
                throw new InvalidRequest("each value must have 1 to " + MAX_VALUE_LENGTH + " characters and no NUL");
            }
            if (d.type().equals("number")) {
                try {
                    new BigDecimal(v);
                } catch (NumberFormatException e) {
                    throw new InvalidRequest("attribute " + d.name() + " takes numbers");
                }
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(values));
    }

    private static AttributeRepository.Definition withDefault(AttributeRepository.Definition d, String value) {
        return new AttributeRepository.Definition(d.name(), d.type(), d.multiValued(), value, d.description());
    }

    private static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequest("name must start with a lowercase letter and have up to 64 lowercase letters, digits or _");
        }
        if (name.startsWith("warden_")) {
            throw new InvalidRequest("names starting with warden_ are reserved for system attributes");
        }
        return name;
    }

    private static String description(String description) {
        if (description == null) {
            return "";
        }
        if (description.length() > 1000) {
            throw new InvalidRequest("description must have at most 1000 characters");
        }
        return description;
    }

    static Map<String, Object> describe(AttributeRepository.Definition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("type", d.type());
        m.put("multi_valued", d.multiValued());
        m.put("default_value", d.defaultValue());
        return m;
    }
}
