package dev.warden.server.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat, adjusted twice. The connector is {@link ClientAwareProtocol}, so a query notices a client
 * that left (API.md: "A client that disconnects cancels its warehouse query").
 *
 * <p>And Tomcat answers an encoded slash ({@code %2F}) in a path with its own HTML error page, before
 * Warden sees the request: no problem detail, no request id, no security headers. Passing it
 * through lets Spring Security's firewall refuse it like every other suspicious path, as a
 * problem detail.
 */
@Configuration
@ConditionalOnWebApplication
class TomcatConfig {
    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    @Bean
    WebServerFactoryCustomizer<TomcatWebServerFactory> clientAwareConnector() {
        return factory -> factory.setProtocol(ClientAwareProtocol.class.getName());
    }
}
