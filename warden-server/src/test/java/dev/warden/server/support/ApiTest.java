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
        // in the PostgreSQL run, the tests' warehouses live on the metadata store's own server
        "warden.connections.allow-metadata-store-server=true",
        "warden.demo.enabled=false",
        // every test browser comes from 127.0.0.1; the per-address limit has its own test
        "warden.signin.starts-per-minute=1000000",
        // two operators for the support-access tests; their keys are in SupportKeys
        "warden.support.operators=alice=373ee678638ff670e2f8537379c56d3cba49574e1953d45bdbd745e35bd5e2cc,"
                + "bob=9aa6f135d4a9512a7bc0e8ee605e23aaa59889d32db7025934624b87e003e771"})
@ContextConfiguration(initializers = TestDatabase.class)
@Import({Fixtures.class, TestClock.Config.class})
public abstract class ApiTest {
    @LocalServerPort
    protected int port;

    @Autowired
    protected Fixtures fixtures;

    @Autowired
    protected TestClock clock;

    protected Api api() {
        return new Api(port);
    }
}
