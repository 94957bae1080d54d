package dev.warden.server.support;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * Base of the tests that go through real HTTP into a running server, on the metadata store of
 * this run ({@link TestDatabase}). All share one application context, so every test creates its
 * own orgs ({@link Fixtures}) and never relies on what others left.
 */
@ExtendWith(TestDatabase.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "warden.data-dir=target/test-data",
        // the tests' warehouses (PostgreSQL, MariaDB) run on this machine's loopback
        "warden.connections.allow-loopback=true",
        "warden.demo.enabled=false"})
@ContextConfiguration(initializers = TestDatabase.class)
@Import(Fixtures.class)
public abstract class ApiTest {
    @LocalServerPort
    protected int port;

    @Autowired
    protected Fixtures fixtures;

    protected Api api() {
        return new Api(port);
    }
}
