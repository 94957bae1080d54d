package dev.warden.server.connections;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.AccessContext;
import dev.warden.server.access.AccessDenied;
import dev.warden.server.access.ActorKind;
import dev.warden.server.problem.ResourceNotFound;
import dev.warden.server.access.UserId;
import dev.warden.server.tenancy.AccessGenerations;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A person's role on a connection: the highest of the connection's base role, the roles granted
 * to them and to their groups; {@code ORG_ADMIN} is {@code CONNECTION_ADMIN} everywhere. A
 * connection on which a person has {@code NO_ACCESS} does not exist for them (404); one they can
 * see but not act on answers 403, and the refusal is audited.
 */
@Service
public class ConnectionAccess {
    private final ConnectionRepository connections;
    /** Roles granted to a person (directly or through groups) per (org, access generation, connection, person). */
    private final AccessGenerations.Scoped<Grantee, List<ConnectionRole>> granted;

    private record Grantee(UUID connection, UserId user) {}

    public ConnectionAccess(ConnectionRepository connections, AccessGenerations generations) {
        this.connections = connections;
        this.granted = generations.cache(50_000);
    }

    /** The person's role now, reading the grants afresh. */
    public ConnectionRole roleOn(AccessContext context, Connection connection) {
        return roleOn(context, connection, -1);
    }

    /**
     * The person's role in the given access generation of the org (read by the caller in this
     * request): the grants come from the node's cache of that generation; -1 reads them afresh.
     */
    public ConnectionRole roleOn(AccessContext context, Connection connection, long generation) {
        if (!connection.orgId().equals(context.orgId())) {
            return ConnectionRole.NO_ACCESS; // never reached through org-scoped reads; a second wall
        }
        if (context.actorKind() == ActorKind.OPERATOR) {
            // Support reads models, connections (never secrets) and topics; writes are refused at
            // the endpoint; queries need a DATA grant, and run with no attributes (deny by default).
            return context.supportGrant().isPresent() ? ConnectionRole.MODELER : ConnectionRole.NO_ACCESS;
        }
        if (context.actorKind() != ActorKind.USER && context.actorKind() != ActorKind.API_KEY) {
            return ConnectionRole.NO_ACCESS;
        }
        if (context.isOrgAdmin()) {
            return ConnectionRole.CONNECTION_ADMIN;
        }
        ConnectionRole best = connection.baseRole();
        UserId user = context.requireUser();
        List<ConnectionRole> roles = granted.get(context.orgId(), generation, new Grantee(connection.id(), user),
                () -> List.copyOf(connections.grantsFor(context.orgId(), connection.id(), user)));
        for (ConnectionRole role : roles) {
            if (role.compareTo(best) > 0) {
                best = role;
            }
        }
        return best;
    }

    /** The connection, if the caller holds at least {@code needed} on it. */
    public Connection require(AccessContext context, UUID connectionId, ConnectionRole needed) {
        Connection connection = connections.find(context.orgId(), connectionId)
                .orElseThrow(() -> new ResourceNotFound("connection"));
        return require(context, connection, needed);
    }

    public Connection require(AccessContext context, Connection connection, ConnectionRole needed) {
        ConnectionRole role = roleOn(context, connection);
        if (role == ConnectionRole.NO_ACCESS) {
            throw new ResourceNotFound("connection");
        }
        if (!role.atLeast(needed)) {
            // audited where every refusal is: Problems (DenialAudit)
            throw new AccessDenied("this needs the " + needed + " role on this connection; you have " + role);
        }
        return connection;
    }
}
