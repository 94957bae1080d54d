package dev.warden.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.support.ApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Deny by default, checked at build time: every endpoint names its permission, or says why it is public. */
class EveryEndpointDeclaresItsPermissionTest extends ApiTest {
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Test
    void everyHandlerHasExactlyOneOfRequiresOrPublicEndpoint() {
        // operator endpoints live under /operator/api/v1 only, where the chain admits operators alone
        assertThat(Endpoints.handlers(mapping)).filteredOn(e -> e.handler().hasMethodAnnotation(OperatorEndpoint.class))
                .allSatisfy(e -> assertThat(e.pattern()).startsWith("/operator/api/v1/"));
        List<Endpoints.Endpoint> endpoints = Endpoints.handlers(mapping);
        assertThat(endpoints).isNotEmpty();
        assertThat(endpoints).allSatisfy(e -> assertThat(
                (e.handler().hasMethodAnnotation(Requires.class) ? 1 : 0)
                        + (e.handler().hasMethodAnnotation(PublicEndpoint.class) ? 1 : 0)
                        + (e.handler().hasMethodAnnotation(OperatorEndpoint.class) ? 1 : 0) == 1)
                .as("%s declares exactly one of @Requires / @PublicEndpoint / @OperatorEndpoint", e)
                .isTrue());
    }
}
