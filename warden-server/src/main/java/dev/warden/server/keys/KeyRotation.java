package dev.warden.server.keys;

import dev.warden.crypto.CredentialSealer;
import dev.warden.crypto.SealedDataUnreadable;
import dev.warden.server.access.OrgId;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.connections.Connection;
import dev.warden.server.connections.ConnectionRepository;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Rotation: every org's two keysets get a new primary key, then every stored credential is
 * re-encrypted under it. Old keys stay in the keysets, so whatever was sealed before (and cache
 * entries sealed by nodes that have not yet reloaded) stays readable: nothing is ever lost.
 * Re-encryption never reveals a secret outside warden-crypto ({@link CredentialSealer#reseal}).
 */
@Service
public class KeyRotation {
    private final OrgKeys keys;
    private final ConnectionRepository connections;
    private final AuditLog audit;

    public KeyRotation(OrgKeys keys, ConnectionRepository connections, AuditLog audit) {
        this.keys = keys;
        this.connections = connections;
        this.audit = audit;
    }

    /** What one rotation did. */
    public record Report(int orgs, int resealed, int alreadyCurrent, int unreadable) {}

    public Report rotateAll() {
        int orgs = 0;
        for (OrgId org : keys.orgs()) {
            keys.rotate(org);
            audit.append(org, AuditRecord.of(AuditActor.system("key rotation"), "keys.rotate").target("org", org)
                    .details(Map.of("purposes", "CUSTOMER_DATA, CUSTOMER_CREDENTIALS")).build());
            orgs++;
        }
        int resealed = 0;
        int current = 0;
        int unreadable = 0;
        for (Connection c : connections.allWithSecrets()) {
            CredentialSealer sealer = keys.credentials(c.orgId());
            byte[] sealed = c.sealedSecret().orElseThrow();
            if (sealer.isUnderPrimaryKey(sealed)) {
                current++;
                continue;
            }
            try {
                connections.replaceSealedSecret(c, sealer.reseal(sealed, c.secretRecord()));
                resealed++;
            } catch (SealedDataUnreadable e) {
                unreadable++; // reported, left as it is: rotation never destroys what it cannot read
            }
        }
        return new Report(orgs, resealed, current, unreadable);
    }
}
