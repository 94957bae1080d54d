package dev.warden.server.demo.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The provider's beans exist only with the demo on, on the embedded H2 store, in a web application. */
class DemoIdpConditionsTest {
    private static final String H2 = "spring.datasource.url=jdbc:h2:file:./data/metadata;MODE=PostgreSQL";

    @Configuration
    static class Clocks {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withUserConfiguration(Clocks.class, DemoIdentityProvider.class, DemoIdpController.class);

    @Test
    void demoOnAndEmbeddedStore() {
        web.withPropertyValues("warden.demo.enabled=true", H2).run(context -> {
            assertThat(context).hasSingleBean(DemoIdentityProvider.class).hasSingleBean(DemoIdpController.class);
            assertThat(context.getBean(DemoIdentityProvider.class).issuer("acme"))
                    .isEqualTo("http://localhost:8080/demo-idp/acme");
        });
        web.withPropertyValues("warden.demo.enabled=true", H2, "warden.public-url=http://127.0.0.1:9090/")
                .run(context -> assertThat(context.getBean(DemoIdentityProvider.class).issuer("globex"))
                        .isEqualTo("http://127.0.0.1:9090/demo-idp/globex"));
    }

    @Test
    void demoOff() {
        web.withPropertyValues("warden.demo.enabled=false", H2).run(context ->
                assertThat(context).doesNotHaveBean(DemoIdentityProvider.class).doesNotHaveBean(DemoIdpController.class));
        web.withPropertyValues(H2).run(context -> assertThat(context).doesNotHaveBean(DemoIdentityProvider.class));
    }

    @Test
    void productionStore() {
        web.withPropertyValues("warden.demo.enabled=true", "spring.datasource.url=jdbc:postgresql://db/warden")
                .run(context -> assertThat(context).doesNotHaveBean(DemoIdentityProvider.class)
                        .doesNotHaveBean(DemoIdpController.class));
        web.withPropertyValues("warden.demo.enabled=true").run(context ->
                assertThat(context).doesNotHaveBean(DemoIdentityProvider.class));
    }

    @Test
    void notAWebApplication() {
        new ApplicationContextRunner().withUserConfiguration(Clocks.class, DemoIdentityProvider.class)
                .withPropertyValues("warden.demo.enabled=true", H2)
                .run(context -> assertThat(context).doesNotHaveBean(DemoIdentityProvider.class));
    }
}
