package dev.warden.server.connections;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.AccessContext;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.keys.OrgKeys;
import dev.warden.server.problem.Conflict;
import dev.warden.server.problem.InvalidRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Warehouse connections of an org. Secrets are sealed with the org's credentials keyset the
 * moment they arrive, bound to the connection's id, and never leave in any response, log line
 * or audit event: audit details say only whether a secret was set or replaced.
 */
@Service
@Transactional
public class Connections {
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,99}$");
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9.:\\-\\[\\]]{1,253}$");
    private static final Pattern DUCKDB_PATH = Pattern.compile("^[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*\\.duckdb$");
    /**
     * Names that end up in a JDBC URL or driver property: plain names only, so that nothing like
     * "db?sslmode=disable" can slip a driver setting past the ones Warden sets.
     */
    private static final Pattern PLAIN_NAME = Pattern.compile("^[A-Za-z0-9_.$@-]{1,128}$");
    private static final int MAX_SECRET = 16 * 1024;

    private final ConnectionRepository connections;
    private final ConnectionAccess access;
    private final OrgKeys keys;
    private final AuditLog audit;
    private final dev.warden.server.tenancy.People people;
    private final dev.warden.server.tenancy.Groups groups;
    private final Clock clock;

    public Connections(ConnectionRepository connections, ConnectionAccess access, OrgKeys keys, AuditLog audit,
                       dev.warden.server.tenancy.People people, dev.warden.server.tenancy.Groups groups, Clock clock) {
        this.connections = connections;
        this.access = access;
        this.keys = keys;
        this.audit = audit;
        this.people = people;
        this.groups = groups;
        this.clock = clock;
    }

    /** A connection with the caller's role on it. */
    public record Visible(Connection connection, ConnectionRole role) {}

    @Transactional(readOnly = true)
    public List<Visible> list(AccessContext context) {
        return connections.list(context.orgId()).stream()
                .map(c -> new Visible(c, access.roleOn(context, c)))
                .filter(v -> v.role().atLeast(ConnectionRole.MODELER))
                .toList();
    }

    @Transactional(readOnly = true)
    public Visible get(AccessContext context, UUID id) {
        Connection c = access.require(context, id, ConnectionRole.MODELER);
        return new Visible(c, access.roleOn(context, c));
    }

    public Visible create(AccessContext context, ConnectionRequest request) {
        if (request.type() == null) {
            throw new InvalidRequest("type is required: one of duckdb, postgres, mysql, trino, snowflake, bigquery");
        }
        String name = name(request.name());
        if (connections.findByName(context.orgId(), name).isPresent()) {
            throw new Conflict("a connection with that name already exists in this org");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        ConnectionSettings settings = settings(request.type(), request, null);
        Connection draft = new Connection(id, context.orgId(), name, request.type(), settings, Optional.empty(),
                Optional.empty(), request.baseRole() == null ? ConnectionRole.NO_ACCESS : request.baseRole(), 1, now, now);
        Connection connection = withSecret(draft, request);
        connections.insert(connection);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "connection.create")
                .target("connection", id).requestId(context.requestId())
                .details(Map.of("after", describe(connection), "secret", secretChange(request))).build());
        return new Visible(connection, access.roleOn(context, connection));
    }

    public Visible change(AccessContext context, UUID id, ConnectionRequest request) {
        Connection before = access.require(context, id, ConnectionRole.CONNECTION_ADMIN);
        if (request.type() != null && request.type() != before.type()) {
            throw new InvalidRequest("type cannot change; create a new connection instead");
        }
        String name = request.name() == null ? before.name() : name(request.name());
        if (!name.equals(before.name()) && connections.findByName(context.orgId(), name).isPresent()) {
            throw new Conflict("a connection with that name already exists in this org");
        }
        Connection merged = new Connection(id, before.orgId(), name, before.type(),
                settings(before.type(), request, before.settings()), before.secretKind(), before.sealedSecret(),
                request.baseRole() == null ? before.baseRole() : request.baseRole(), before.version() + 1,
                before.createdAt(), clock.instant());
        boolean secretGiven = request.password() != null || request.privateKey() != null || request.token() != null;
        if (before.sealedSecret().isPresent() && !secretGiven && !sameDestination(before.settings(), merged.settings())) {
            // The stored secret goes only where it was given for: pointing the connection elsewhere
            // (host, port, database, user, TLS) without giving it again would let a connection
            // admin send it to a server they control.
            throw new InvalidRequest("changing where the connection goes (host, port, database, user, account, "
                    + "warehouse, project, TLS) needs its secret again in the same request");
        }
        Connection after = withSecret(merged, request);
        connections.update(after);
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "connection.update")
                .target("connection", id).requestId(context.requestId())
                .details(Map.of("before", describe(before), "after", describe(after), "secret", secretChange(request)))
                .build());
        return new Visible(after, access.roleOn(context, after));
    }

    public void delete(AccessContext context, UUID id) {
        Connection before = access.require(context, id, ConnectionRole.CONNECTION_ADMIN);
        try {
            connections.delete(context.orgId(), id);
        } catch (DataIntegrityViolationException e) {
            throw new Conflict("models use this connection; delete or move them first");
        }
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), "connection.delete")
                .target("connection", id).requestId(context.requestId())
                .details(Map.of("before", describe(before))).build());
    }

    /** Who holds which role on a connection, besides its base role. CONNECTION_ADMIN on it is needed. */
    @Transactional(readOnly = true)
    public List<ConnectionRepository.Grant> grants(AccessContext context, UUID connectionId) {
        Connection connection = access.require(context, connectionId, ConnectionRole.CONNECTION_ADMIN);
        return connections.grants(context.orgId(), connection.id());
    }

    /**
     * Gives a person a role on a connection (effective: the highest of base role and grants).
     * The person must be of this org: an id of another org is as unknown as a made-up one.
     */
    public void grant(AccessContext context, UUID connectionId, dev.warden.server.access.UserId user, ConnectionRole role) {
        Connection connection = access.require(context, connectionId, ConnectionRole.CONNECTION_ADMIN);
        people.get(context, user);
        requireRole(role);
        connections.grantToUser(context.orgId(), connection.id(), user, role);
        auditGrant(context, connectionId, "user", user.toString(), role);
    }

    public void grantToGroup(AccessContext context, UUID connectionId, UUID group, ConnectionRole role) {
        Connection connection = access.require(context, connectionId, ConnectionRole.CONNECTION_ADMIN);
        groups.get(context, group);
        requireRole(role);
        connections.grantToGroup(context.orgId(), connection.id(), group, role);
        auditGrant(context, connectionId, "group", group.toString(), role);
    }

    public void revoke(AccessContext context, UUID connectionId, dev.warden.server.access.UserId user) {
        Connection connection = access.require(context, connectionId, ConnectionRole.CONNECTION_ADMIN);
        if (!connections.revokeFromUser(context.orgId(), connection.id(), user)) {
            throw new dev.warden.server.problem.ResourceNotFound("role grant");
        }
        auditGrant(context, connectionId, "user", user.toString(), null);
    }

    public void revokeFromGroup(AccessContext context, UUID connectionId, UUID group) {
        Connection connection = access.require(context, connectionId, ConnectionRole.CONNECTION_ADMIN);
        if (!connections.revokeFromGroup(context.orgId(), connection.id(), group)) {
            throw new dev.warden.server.problem.ResourceNotFound("role grant");
        }
        auditGrant(context, connectionId, "group", group.toString(), null);
    }

    private static void requireRole(ConnectionRole role) {
        if (role == null) {
            throw new InvalidRequest("role is required");
        }
    }

    private void auditGrant(AccessContext context, UUID connectionId, String kind, String who, ConnectionRole role) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(kind, who);
        details.put("role", role == null ? "revoked" : role.name());
        audit.append(context.orgId(), AuditRecord.of(AuditActor.of(context), role == null ? "connection.revoke"
                        : "connection.grant").target("connection", connectionId).requestId(context.requestId())
                .details(details).build());
    }

    private Connection withSecret(Connection c, ConnectionRequest request) {
        int given = (request.password() != null ? 1 : 0) + (request.privateKey() != null ? 1 : 0)
                + (request.token() != null ? 1 : 0);
        if (given == 0) {
            return c;
        }
        if (given > 1) {
            throw new InvalidRequest("give at most one of password, private_key, token");
        }
        Connection.SecretKind kind = request.password() != null ? Connection.SecretKind.PASSWORD
                : request.privateKey() != null ? Connection.SecretKind.PRIVATE_KEY : Connection.SecretKind.TOKEN;
        String secret = request.password() != null ? request.password()
                : request.privateKey() != null ? request.privateKey() : request.token();
        if (secret.isEmpty() || secret.length() > MAX_SECRET) {
            throw new InvalidRequest("the secret must have 1 to " + MAX_SECRET + " characters");
        }
        byte[] sealed = keys.credentials(c.orgId()).seal(secret.getBytes(StandardCharsets.UTF_8), c.secretRecord());
        return new Connection(c.id(), c.orgId(), c.name(), c.type(), c.settings(), Optional.of(kind),
                Optional.of(sealed), c.baseRole(), c.version(), c.createdAt(), c.updatedAt());
    }

    private static boolean sameDestination(ConnectionSettings a, ConnectionSettings b) {
        return a.host().equals(b.host()) && a.port().equals(b.port()) && a.database().equals(b.database())
                && a.user().equals(b.user()) && a.account().equals(b.account()) && a.warehouse().equals(b.warehouse())
                && a.project().equals(b.project()) && a.tlsMode() == b.tlsMode() && a.tlsCaBundle().equals(b.tlsCaBundle());
    }

    private static String secretChange(ConnectionRequest request) {
        boolean given = request.password() != null || request.privateKey() != null || request.token() != null;
        return given ? "replaced" : "unchanged";
    }

    static Map<String, Object> describe(Connection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("type", c.type().wireName());
        m.put("host", c.settings().host().orElse(null));
        m.put("port", c.settings().port().orElse(null));
        m.put("database", c.settings().database().orElse(null));
        m.put("user", c.settings().user().orElse(null));
        m.put("path", c.settings().path().orElse(null));
        m.put("tls_mode", c.settings().tlsMode().wire());
        m.put("base_role", c.baseRole().name());
        m.put("secret_set", c.secretKind().isPresent());
        return m;
    }

    private static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequest("name must start with a lowercase letter and have up to 100 lowercase letters, digits or _");
        }
        return name;
    }

    /** Validated settings for a type: a new request, or a change merged over the current settings. */
    private static ConnectionSettings settings(ConnectionType type, ConnectionRequest r, ConnectionSettings current) {
        ConnectionSettings base = current != null ? current : new ConnectionSettings(null, null, null, null, null, null,
                null, null, null, null, null, 300, 5);
        ConnectionSettings s = new ConnectionSettings(
                pick(r.host(), base.host()), r.port() != null ? Optional.of(r.port()) : base.port(),
                pick(r.database(), base.database()), pick(r.user(), base.user()), pick(r.path(), base.path()),
                pick(r.account(), base.account()), pick(r.warehouse(), base.warehouse()),
                pick(r.project(), base.project()), pick(r.schema(), base.schema()),
                r.tlsMode() != null ? r.tlsMode() : base.tlsMode(),
                pick(r.tlsCaBundle(), base.tlsCaBundle()),
                r.statementTimeoutSeconds() != null ? r.statementTimeoutSeconds() : base.statementTimeoutSeconds(),
                r.maxPoolSize() != null ? r.maxPoolSize() : base.maxPoolSize());
        if (s.statementTimeoutSeconds() < 1 || s.statementTimeoutSeconds() > 3600) {
            throw new InvalidRequest("statement_timeout_seconds must be between 1 and 3600");
        }
        if (s.maxPoolSize() < 1 || s.maxPoolSize() > 50) {
            throw new InvalidRequest("max_pool_size must be between 1 and 50");
        }
        s.port().ifPresent(p -> {
            if (p < 1 || p > 65535) {
                throw new InvalidRequest("port must be between 1 and 65535");
            }
        });
        for (var named : List.of(Map.entry("database", s.database()), Map.entry("user", s.user()),
                Map.entry("schema", s.schema()), Map.entry("account", s.account()), Map.entry("warehouse", s.warehouse()),
                Map.entry("project", s.project()))) {
            named.getValue().ifPresent(v -> {
                if (!PLAIN_NAME.matcher(v).matches()) {
                    throw new InvalidRequest(named.getKey() + " must be a plain name: letters, digits and _ . $ @ -, "
                            + "at most 128");
                }
            });
        }
        s.host().ifPresent(h -> {
            if (!HOST.matcher(h).matches()) {
                throw new InvalidRequest("host must be a host name or an IP address");
            }
        });
        s.tlsCaBundle().ifPresent(pem -> {
            if (!pem.contains("-----BEGIN CERTIFICATE-----") || pem.length() > 64 * 1024) {
                throw new InvalidRequest("tls_ca_bundle must be PEM certificates (at most 64 KiB)");
            }
        });
        switch (type) {
            case DUCKDB -> {
                String path = s.path().orElseThrow(() -> new InvalidRequest("path is required for duckdb"));
                if (!DUCKDB_PATH.matcher(path).matches()) {
                    throw new InvalidRequest("path must be a relative name like sales/warehouse.duckdb, "
                            + "inside the deployment's warehouse directory");
                }
                if (s.host().isPresent()) {
                    throw new InvalidRequest("duckdb takes a path, not a host");
                }
            }
            case POSTGRES, MYSQL, TRINO -> {
                require(s.host(), "host", type);
                require(s.user(), "user", type);
                if (type == ConnectionType.POSTGRES) {
                    require(s.database(), "database", type);
                }
            }
            case SNOWFLAKE -> {
                require(s.account(), "account", type);
                require(s.user(), "user", type);
                require(s.warehouse(), "warehouse", type);
                require(s.database(), "database", type);
            }
            case BIGQUERY -> require(s.project(), "project", type);
        }
        return s;
    }

    private static Optional<String> pick(String given, Optional<String> current) {
        if (given == null) {
            return current;
        }
        return given.isBlank() ? Optional.empty() : Optional.of(given.strip());
    }

    private static void require(Optional<?> value, String field, ConnectionType type) {
        if (value.isEmpty()) {
            throw new InvalidRequest(field + " is required for " + type.wireName());
        }
    }
}
