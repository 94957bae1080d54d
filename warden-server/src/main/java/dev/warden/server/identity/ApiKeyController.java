package dev.warden.server.identity;

import dev.warden.server.access.AccessContext;
import dev.warden.server.access.CurrentAccess;
import dev.warden.server.access.Permission;
import dev.warden.server.access.PermissionMatrix;
import dev.warden.server.access.Requires;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * API keys: anyone lists, creates and revokes their own; an org admin lists and revokes every
 * key of the org. The secret appears once, in the creation response.
 */
@RestController
@RequestMapping("/api/v1/api-keys")
final class ApiKeyController {
    private final ApiKeys keys;
    private final CurrentAccess access;
    private final Clock clock;

    ApiKeyController(ApiKeys keys, CurrentAccess access, Clock clock) {
        this.keys = keys;
        this.access = access;
        this.clock = clock;
    }

    record KeyView(UUID id, String name, UUID userId, String prefix, Instant createdAt, Instant expiresAt,
                   Instant lastUsedAt, Instant revokedAt, ApiKey.State state) {
        static KeyView of(ApiKey k, Instant now) {
            return new KeyView(k.id(), k.name(), k.userId().value(), ApiKeyToken.PREFIX + k.lookupId(), k.createdAt(),
                    k.expiresAt().orElse(null), k.lastUsedAt().orElse(null), k.revokedAt().orElse(null), k.state(now));
        }
    }

    record CreatedKey(KeyView key, String secret) {}

    @GetMapping
    @Requires(Permission.OWN_API_KEYS)
    List<KeyView> list() {
        AccessContext context = access.require();
        Instant now = clock.instant();
        return keys.list(context, mayManageAll(context)).stream().map(k -> KeyView.of(k, now)).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Requires(Permission.OWN_API_KEYS)
    CreatedKey create(@RequestBody ApiKeys.NewKey request) {
        ApiKeys.IssuedKey issued = keys.issue(access.require(), request);
        return new CreatedKey(KeyView.of(issued.key(), clock.instant()), issued.secretText());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Requires(Permission.OWN_API_KEYS)
    void revoke(@PathVariable UUID id) {
        AccessContext context = access.require();
        keys.revoke(context, id, mayManageAll(context));
    }

    private static boolean mayManageAll(AccessContext context) {
        return PermissionMatrix.decide(context, Permission.ALL_API_KEYS).granted();
    }
}
