package dev.warden.server;

import dev.warden.server.cli.Bootstrap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import java.time.Clock;

@SpringBootApplication
public class WardenApplication {
    /** One clock for the whole application, so that tests can move time. */
    @Bean
    static Clock clock() {
        return Clock.systemUTC();
    }

    public static void main(String[] args) {
        // The embedded store's auto-server (which lets ./warden bootstrap reach a running server)
        // must listen on loopback only; H2 would otherwise accept connections on every interface.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        if (args.length > 0 && args[0].equals("operator-key")) {
            System.exit(dev.warden.server.cli.OperatorKey.run(args, System.out, System.err));
        }
        if (args.length > 0 && (args[0].equals("bootstrap") || args[0].equals("keys"))) {
            SpringApplication app = new SpringApplication(WardenApplication.class);
            app.setWebApplicationType(WebApplicationType.NONE);
            // A command never sets up the demo; it works on whatever store WARDEN_DB_URL names.
            app.setLogStartupInfo(false);
            int code;
            // Command-line properties outrank application.yml: a command prints only its own output.
            try (ConfigurableApplicationContext context = app.run("--logging.level.root=WARN",
                    "--spring.main.banner-mode=off")) {
                code = args[0].equals("bootstrap")
                        ? context.getBean(Bootstrap.class).run(args, System.out, System.err)
                        : context.getBean(dev.warden.server.cli.Keys.class).run(args, System.out, System.err);
            }
            System.exit(code);
        }
        SpringApplication.run(WardenApplication.class, args);
    }
}
