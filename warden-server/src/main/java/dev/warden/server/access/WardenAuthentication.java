package dev.warden.server.access;

import java.util.List;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Spring Security's view of a successful Warden authentication. It carries the one
 * {@link AccessContext} built at the edge; nothing else in it is consulted.
 */
public final class WardenAuthentication extends AbstractAuthenticationToken {
    private final AccessContext context;

    public WardenAuthentication(AccessContext context) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + context.orgRole().name())));
        this.context = Objects.requireNonNull(context, "context is null");
        setAuthenticated(true);
    }

    public AccessContext context() {
        return context;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return context;
    }

    @Override
    public String getName() {
        return context.actorLabel();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WardenAuthentication other && other.context.equals(context);
    }

    @Override
    public int hashCode() {
        return context.hashCode();
    }
}
