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
        List<Endpoints.Endpoint> endpoints = Endpoints.handlers(mapping);
        assertThat(endpoints).isNotEmpty();
        assertThat(endpoints).allSatisfy(e -> assertThat(
                e.handler().hasMethodAnnotation(Requires.class) ^ e.handler().hasMethodAnnotation(PublicEndpoint.class))
                .as("%s declares exactly one of @Requires / @PublicEndpoint", e)
                .isTrue());
    }
}
