package dev.warden.server.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * The metadata store of a test run: a fresh in-memory H2 database by default, or, when the
 * system property {@code warden.test.db=postgres} is set (the second surefire execution), a
 * PostgreSQL database created on 127.0.0.1:5432 for this context and dropped when it closes.
 *
 * <p>As a JUnit condition it skips PostgreSQL runs when no server answers, except under
 * {@code CI=true}, where they are required and fail loudly instead.
 */
public final class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext>, ExecutionCondition {
    static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String PG_USER = "postgres";

    public static boolean postgresRun() {
        return "postgres".equals(System.getProperty("warden.test.db"));
    }

    public static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static boolean postgresAnswers() {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!postgresRun() || required() || postgresAnswers()) {
            return ConditionEvaluationResult.enabled("metadata store available");
        }
        return ConditionEvaluationResult.disabled("PostgreSQL does not answer on 127.0.0.1:5432 (required only under CI=true)");
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String url;
        String user;
        if (postgresRun()) {
            String database = "warden_test_" + UUID.randomUUID().toString().replace("-", "");
            execute("CREATE DATABASE " + database);
            url = "jdbc:postgresql://127.0.0.1:5432/" + database;
            user = PG_USER;
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                    execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
            });
        } else {
            url = "jdbc:h2:mem:warden_" + UUID.randomUUID().toString().replace("-", "")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;DB_CLOSE_DELAY=-1";
            user = "warden";
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("warden-test-db", Map.of(
                "spring.datasource.url", url,
                "spring.datasource.username", user,
                "spring.datasource.password", "")));
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "")) {
            c.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is required for this run (CI=true) but failed: "
                    + e.getSQLState(), e);
        }
    }
}
