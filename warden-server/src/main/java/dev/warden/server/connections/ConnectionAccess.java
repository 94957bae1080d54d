package dev.warden.server.connections;

import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.server.access.AccessContext;
import dev.warden.server.access.AccessDenied;
import dev.warden.server.access.ActorKind;
import dev.warden.server.problem.ResourceNotFound;
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

    public ConnectionAccess(ConnectionRepository connections) {
        this.connections = connections;
    }

    public ConnectionRole roleOn(AccessContext context, Connection connection) {
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
        for (ConnectionRole granted : connections.grantsFor(context.orgId(), connection.id(), context.requireUser())) {
            if (granted.compareTo(best) > 0) {
                best = granted;
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
