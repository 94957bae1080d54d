package dev.warden.server.access;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.stereotype.Component;

/**
 * The one accessor for the current request's {@link AccessContext}. It fails closed: code that
 * runs without an authenticated Warden context gets {@link NotAuthenticated}, never a default.
 */
@Component
public final class CurrentAccess {
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    public AccessContext require() {
        Authentication authentication = holder.getContext().getAuthentication();
        if (authentication instanceof WardenAuthentication warden && warden.isAuthenticated()) {
            return warden.context();
        }
        throw new NotAuthenticated();
    }
}
