package dev.warden.server.support;

import java.util.List;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated operator at the deployment level: no org, no data. It opens the operator API
 * (which orgs granted access, open a session) and nothing under {@code /api/v1}.
 */
public final class OperatorAuthentication extends AbstractAuthenticationToken {
    private final String operatorId;
    private final String source;

    OperatorAuthentication(String operatorId, String source) {
        super(List.of(new SimpleGrantedAuthority("ROLE_OPERATOR")));
        this.operatorId = Objects.requireNonNull(operatorId, "operatorId is null");
        this.source = Objects.requireNonNull(source, "source is null");
        setAuthenticated(true);
    }

    public String operatorId() {
        return operatorId;
    }

    public String source() {
        return source;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return operatorId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OperatorAuthentication other && other.operatorId.equals(operatorId) && other.source.equals(source);
    }

    @Override
    public int hashCode() {
        return operatorId.hashCode();
    }
}
