package dev.warden.server.connections;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.AccessContext;
import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.Permission;
import dev.warden.server.access.Requires;
import dev.warden.server.connections.execution.WarehouseFailure;
import dev.warden.server.connections.execution.WarehouseQueries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Warehouse connections: MODELER and above read them, CONNECTION_ADMIN changes them, ORG_ADMIN
 * creates them. Secrets are accepted and never returned: reads say {@code "password": {"set": true}}.
 */
@RestController
@RequestMapping("/api/v1/connections")
final class ConnectionController {
    private final Connections connections;
    private final ConnectionAccess access;
    private final WarehouseQueries warehouses;
    private final CurrentAccess current;

    ConnectionController(Connections connections, ConnectionAccess access, WarehouseQueries warehouses,
                         CurrentAccess current) {
        this.connections = connections;
        this.access = access;
        this.warehouses = warehouses;
        this.current = current;
    }

    @GetMapping
    @Requires(Permission.CONNECTIONS)
    List<Map<String, Object>> list() {
        return connections.list(current.require()).stream().map(ConnectionController::view).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Requires(Permission.CONNECTIONS_CREATE)
    Map<String, Object> create(@RequestBody ConnectionRequest request) {
        return view(connections.create(current.require(), request));
    }

    @GetMapping("/{id}")
    @Requires(Permission.CONNECTIONS)
    Map<String, Object> get(@PathVariable UUID id) {
        return view(connections.get(current.require(), id));
    }

    @PatchMapping("/{id}")
    @Requires(Permission.CONNECTIONS)
    Map<String, Object> change(@PathVariable UUID id, @RequestBody ConnectionRequest request) {
        Map<String, Object> view = view(connections.change(current.require(), id, request));
        warehouses.forget(id);
        return view;
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.CONNECTIONS)
    void delete(@PathVariable UUID id) {
        connections.delete(current.require(), id);
        warehouses.forget(id);
    }

    /** Connects and runs {@code SELECT 1}; says what failed in words, never with a driver's message. */
    @PostMapping("/{id}/test")
    @Requires(Permission.CONNECTIONS)
    Map<String, Object> test(@PathVariable UUID id) {
        AccessContext context = current.require();
        Connection connection = access.require(context, id, ConnectionRole.CONNECTION_ADMIN);
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            warehouses.test(connection);
            result.put("ok", true);
        } catch (WarehouseFailure failure) {
            result.put("ok", false);
            result.put("failure", failure.kind().name().toLowerCase(Locale.ROOT));
            result.put("detail", failure.kind().description());
        }
        return result;
    }

    record RoleBody(ConnectionRole role) {}

    @GetMapping("/{id}/roles")
    @Requires(Permission.CONNECTIONS)
    Map<String, Object> roles(@PathVariable UUID id) {
        AccessContext context = current.require();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("base_role", connections.get(context, id).connection().baseRole().name());
        List<Map<String, Object>> users = new java.util.ArrayList<>();
        List<Map<String, Object>> groups = new java.util.ArrayList<>();
        for (ConnectionRepository.Grant g : connections.grants(context, id)) {
            g.user().ifPresent(u -> users.add(Map.of("user_id", u.value(), "role", g.role().name())));
            g.group().ifPresent(x -> groups.add(Map.of("group_id", x, "role", g.role().name())));
        }
        v.put("users", users);
        v.put("groups", groups);
        return v;
    }

    @org.springframework.web.bind.annotation.PutMapping("/{id}/roles/users/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.CONNECTIONS)
    void grantUser(@PathVariable UUID id, @PathVariable UUID userId, @RequestBody RoleBody body) {
        connections.grant(current.require(), id, new dev.warden.server.access.UserId(userId), body.role());
    }

    @DeleteMapping("/{id}/roles/users/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.CONNECTIONS)
    void revokeUser(@PathVariable UUID id, @PathVariable UUID userId) {
        connections.revoke(current.require(), id, new dev.warden.server.access.UserId(userId));
    }

    @org.springframework.web.bind.annotation.PutMapping("/{id}/roles/groups/{groupId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.CONNECTIONS)
    void grantGroup(@PathVariable UUID id, @PathVariable UUID groupId, @RequestBody RoleBody body) {
        connections.grantToGroup(current.require(), id, groupId, body.role());
    }

    @DeleteMapping("/{id}/roles/groups/{groupId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.CONNECTIONS)
    void revokeGroup(@PathVariable UUID id, @PathVariable UUID groupId) {
        connections.revokeFromGroup(current.require(), id, groupId);
    }

    static Map<String, Object> view(Connections.Visible visible) {
        Connection c = visible.connection();
        ConnectionSettings s = c.settings();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", c.id());
        v.put("name", c.name());
        v.put("type", c.type().wireName());
        s.host().ifPresent(x -> v.put("host", x));
        s.port().ifPresent(x -> v.put("port", x));
        s.database().ifPresent(x -> v.put("database", x));
        s.user().ifPresent(x -> v.put("user", x));
        s.path().ifPresent(x -> v.put("path", x));
        s.account().ifPresent(x -> v.put("account", x));
        s.warehouse().ifPresent(x -> v.put("warehouse", x));
        s.project().ifPresent(x -> v.put("project", x));
        s.schema().ifPresent(x -> v.put("schema", x));
        if (c.type().networked()) {
            v.put("tls_mode", s.tlsMode().wire());
            v.put("tls_ca_bundle", s.tlsCaBundle().orElse(null));
        }
        v.put("statement_timeout_seconds", s.statementTimeoutSeconds());
        v.put("max_pool_size", s.maxPoolSize());
        v.put("base_role", c.baseRole().name());
        v.put("your_role", visible.role().name());
        String secretField = switch (c.secretKind().orElse(Connection.SecretKind.PASSWORD)) {
            case PASSWORD -> "password";
            case PRIVATE_KEY -> "private_key";
            case TOKEN -> "token";
        };
        if (c.type().networked()) {
            v.put(secretField, Map.of("set", c.secretKind().isPresent()));
        }
        v.put("version", c.version());
        v.put("created_at", c.createdAt().toString());
        v.put("updated_at", c.updatedAt().toString());
        return v;
    }
}
