package dev.warden.server.models;

import dev.warden.semantic.model.ModelLoad;
import dev.warden.semantic.model.ModelProblem;
import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.Permission;
import dev.warden.server.access.Requires;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Semantic models and their versions (MODELER on the model's connection). */
@RestController
@RequestMapping("/api/v1/models")
final class ModelController {
    private static final String[] YAML = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"};

    private final Models models;
    private final CurrentAccess access;

    ModelController(Models models, CurrentAccess access) {
        this.models = models;
        this.access = access;
    }

    @GetMapping
    @Requires(Permission.CONNECTIONS)
    List<Map<String, Object>> list() {
        return models.list(access.require()).stream().map(ModelController::summary).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Requires(Permission.CONNECTIONS)
    Map<String, Object> create(@RequestBody Models.NewModel request) {
        return summary(models.create(access.require(), request));
    }

    @GetMapping("/{id}")
    @Requires(Permission.CONNECTIONS)
    Map<String, Object> get(@PathVariable UUID id) {
        Models.Detail detail = models.get(access.require(), id);
        Map<String, Object> v = summary(detail.record());
        v.put("connection_name", detail.connection().name());
        v.put("versions", detail.versions().stream().map(x -> Map.of("version", x.version(),
                "created_by", x.createdBy(), "created_at", x.createdAt().toString())).toList());
        return v;
    }

    @PostMapping(value = "/{id}/versions", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
    @ResponseStatus(HttpStatus.CREATED)
    @Requires(Permission.CONNECTIONS)
    Map<String, Object> addVersion(@PathVariable UUID id, @RequestBody String yaml) {
        ModelRepository.Version v = models.addVersion(access.require(), id, yaml);
        return Map.of("version", v.version(), "created_at", v.createdAt().toString());
    }

    @PostMapping("/{id}/versions/{version}/activate")
    @Requires(Permission.CONNECTIONS)
    Map<String, Object> activate(@PathVariable UUID id, @PathVariable int version) {
        return summary(models.activate(access.require(), id, version));
    }

    @PostMapping(value = "/validate", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
    @Requires(Permission.CONNECTIONS)
    Map<String, Object> validate(@RequestBody String yaml) {
        ModelLoad load = models.validate(access.require(), yaml);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("valid", load instanceof ModelLoad.Loaded);
        v.put("problems", load instanceof ModelLoad.Invalid invalid ? problems(invalid.problems()) : List.of());
        v.put("warnings", load instanceof ModelLoad.Loaded ok ? problems(ok.warnings()) : List.of());
        return v;
    }

    static List<Map<String, Object>> problems(List<ModelProblem> problems) {
        return problems.stream().map(p -> Map.<String, Object>of("line", p.line(), "column", p.column(),
                "message", p.message(), "hint", p.hint())).toList();
    }

    private static Map<String, Object> summary(ModelRecord m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.id());
        v.put("name", m.name());
        v.put("connection_id", m.connectionId());
        v.put("active_version", m.activeVersion().orElse(null));
        v.put("cache_ttl_seconds", m.cacheTtlSeconds());
        v.put("created_at", m.createdAt().toString());
        v.put("updated_at", m.updatedAt().toString());
        return v;
    }
}
