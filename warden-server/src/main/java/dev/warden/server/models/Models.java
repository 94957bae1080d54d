package dev.warden.server.models;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.warden.semantic.model.ModelLoad;
import dev.warden.semantic.model.ModelLoader;
import dev.warden.semantic.model.ModelProblem;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.AccessContext;
import dev.warden.server.access.OrgId;
import dev.warden.server.attributes.UserAttributes;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.connections.Connection;
import dev.warden.server.connections.ConnectionAccess;
import dev.warden.server.connections.ConnectionRepository;
import dev.warden.server.problem.Conflict;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.problem.ResourceNotFound;
import dev.warden.server.tenancy.AccessGenerations;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Semantic models: created on a connection, uploaded as numbered immutable versions, one of
 * which is active. A version that does not validate is refused with every problem and never
 * stored, so it can never be activated. MODELER on the connection is needed for all of it.
 */
@Service
@Transactional
public class Models {
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,99}$");
    private static final int MAX_YAML = 1_000_000;

    /** An active model, loaded, with where it runs. */
    public record Active(ModelRecord record, int version, SemanticModel model, Connection connection) {}

    private record LoadedKey(UUID model, int version) {}

    private final ModelRepository models;
    private final ConnectionRepository connections;
    private final ConnectionAccess access;
    private final UserAttributes attributes;
    private final AuditLog audit;
    private final Clock clock;
    private final Cache<LoadedKey, SemanticModel> loaded = Caffeine.newBuilder().maximumSize(1_000).build();
    private final AccessGenerations generations;
    /** The active models per (org, access generation): uploads, activations and connection changes move it. */
    private final AccessGenerations.Scoped<String, List<Active>> activeByGeneration;

    public Models(ModelRepository models, ConnectionRepository connections, ConnectionAccess access,
                  UserAttributes attributes, AuditLog audit, Clock clock, AccessGenerations generations) {
        this.models = models;
        this.connections = connections;
        this.access = access;
        this.attributes = attributes;
        this.audit = audit;
        this.clock = clock;
        this.generations = generations;
        this.activeByGeneration = generations.cache(1_000);
    }

    public record NewModel(String name, UUID connectionId) {}

    public record Detail(ModelRecord record, Connection connection, List<ModelRepository.Version> versions) {}

    @Transactional(readOnly = true)
    public List<ModelRecord> list(AccessContext context) {
        List<ModelRecord> visible = new ArrayList<>();
        for (ModelRecord m : models.list(context.orgId())) {
            connections.find(context.orgId(), m.connectionId())
                    .filter(c -> access.roleOn(context, c).atLeast(ConnectionRole.MODELER))
                    .ifPresent(c -> visible.add(m));
        }
        return visible;
    }

    @Transactional(readOnly = true)
    public Detail get(AccessContext context, UUID id) {
        ModelRecord m = models.find(context.orgId(), id).orElseThrow(() -> new ResourceNotFound("model"));
        Connection c = requireModeler(context, m);
        return new Detail(m, c, models.versions(context.orgId(), id));
    }

    public ModelRecord create(AccessContext context, NewModel request) {
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw new InvalidRequest("name must start with a lowercase letter and have up to 100 lowercase letters, digits or _");
        }
        if (request.connectionId() == null) {
            throw new InvalidRequest("connection_id is required");
        }
        Connection connection = access.require(context, request.connectionId(), ConnectionRole.MODELER);
        if (models.findByName(context.orgId(), request.name()).isPresent()) {
            throw new Conflict("a model with that name already exists in this org");
        }
        Instant now = clock.instant();
        ModelRecord m = new ModelRecord(UUID.randomUUID(), context.orgId(), connection.id(), request.name(),
                Optional.empty(), 6 * 3600, now, now);
        models.insert(m);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "model.create").target("model", m.id())
                .requestId(context.requestId())
                .details(Map.of("name", m.name(), "connection", connection.name())).build());
        return m;
    }

    /** Validates without storing anything. */
    @Transactional(readOnly = true)
    public ModelLoad validate(AccessContext context, String yaml) {
        boolean modeler = connections.list(context.orgId()).stream()
                .anyMatch(c -> access.roleOn(context, c).atLeast(ConnectionRole.MODELER));
        if (!modeler) {
            throw new dev.warden.server.access.AccessDenied("validating models needs the MODELER role on a connection");
        }
        return ModelLoader.load(limit(yaml), attributes.definedNames(context.orgId()));
    }

    public ModelRepository.Version addVersion(AccessContext context, UUID id, String yaml) {
        ModelRecord m = models.findForUpdate(context.orgId(), id).orElseThrow(() -> new ResourceNotFound("model"));
        Connection connection = requireModeler(context, m);
        ModelLoad load = ModelLoader.load(limit(yaml), attributes.definedNames(context.orgId()));
        if (load instanceof ModelLoad.Invalid invalid) {
            throw new ModelInvalid(invalid.problems());
        }
        SemanticModel model = ((ModelLoad.Loaded) load).model();
        if (!model.connection().equals(connection.name())) {
            throw new ModelInvalid(List.of(new ModelProblem(1, 1, "the model names connection '" + model.connection()
                    + "' but belongs to connection '" + connection.name() + "'",
                    "set `connection: " + connection.name() + "`")));
        }
        ModelRepository.Version v = new ModelRepository.Version(models.nextVersion(context.orgId(), id), yaml,
                context.actorLabel(), clock.instant());
        models.insertVersion(context.orgId(), id, v);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "model.version.create")
                .target("model", id).requestId(context.requestId())
                .details(Map.of("version", v.version(), "bytes", yaml.length())).build());
        return v;
    }

    public ModelRecord activate(AccessContext context, UUID id, int version) {
        ModelRecord m = models.findForUpdate(context.orgId(), id).orElseThrow(() -> new ResourceNotFound("model"));
        requireModeler(context, m);
        models.version(context.orgId(), id, version).orElseThrow(() -> new ResourceNotFound("model version"));
        Instant now = clock.instant();
        models.activate(context.orgId(), id, version, now);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "model.activate")
                .target("model", id).requestId(context.requestId())
                .details(Map.of("before", m.activeVersion().map(Object::toString).orElse("none"),
                        "after", String.valueOf(version))).build());
        return models.find(context.orgId(), id).orElseThrow();
    }

    /** Every active model of the org with its connection, loaded (each version parsed once). */
    @Transactional(readOnly = true, propagation = Propagation.SUPPORTS)
    public List<Active> active(OrgId org) {
        return active(org, generations.current(org));
    }

    /**
     * The active models in the given generation of the org (read by the caller in this request),
     * from the node's cache or read afresh. The list is immutable.
     */
    @Transactional(readOnly = true, propagation = Propagation.SUPPORTS)
    public List<Active> active(OrgId org, long generation) {
        return activeByGeneration.get(org, generation, "", () -> List.copyOf(readActive(org)));
    }

    private List<Active> readActive(OrgId org) {
        List<Active> result = new ArrayList<>();
        for (ModelRecord m : models.list(org)) {
            if (m.activeVersion().isEmpty()) {
                continue;
            }
            int version = m.activeVersion().get();
            Optional<Connection> connection = connections.find(org, m.connectionId());
            if (connection.isEmpty()) {
                continue;
            }
            SemanticModel model = loaded.get(new LoadedKey(m.id(), version), k -> {
                String yaml = models.version(org, m.id(), version).orElseThrow().yaml();
                if (ModelLoader.load(yaml) instanceof ModelLoad.Loaded ok) {
                    return ok.model();
                }
                // It validated when stored; a newer Warden may be stricter. Never serve it half-understood.
                throw new Conflict("the active version of model '" + m.name() + "' no longer validates; upload a fixed version");
            });
            result.add(new Active(m, version, model, connection.get()));
        }
        return result;
    }

    private Connection requireModeler(AccessContext context, ModelRecord m) {
        Connection c = connections.find(context.orgId(), m.connectionId()).orElseThrow(() -> new ResourceNotFound("model"));
        if (!access.roleOn(context, c).atLeast(ConnectionRole.MODELER)) {
            // A model is part of its connection: who may not model it does not see it.
            throw new ResourceNotFound("model");
        }
        return c;
    }

    private static String limit(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw new InvalidRequest("the model YAML is empty");
        }
        if (yaml.length() > MAX_YAML) {
            throw new InvalidRequest("the model YAML is larger than " + MAX_YAML + " characters");
        }
        return yaml;
    }
}
