package dev.warden.server.connections.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Warehouse hosts a tenant may not reach: Warden's own host, its metadata store, cloud metadata. */
class HostPolicyTest {
    private static final String STORE = "jdbc:postgresql://10.9.8.7:5433/warden";

    @Test
    void loopbackLinkLocalWildcardAndCloudMetadataAreRefused() {
        HostPolicy policy = new HostPolicy(false, false, STORE);
        for (String host : new String[] {"127.0.0.1", "::1", "169.254.169.254", "0.0.0.0", "224.0.0.1",
                "fd00:ec2::254", "100.100.100.200"}) {
            assertThatThrownBy(() -> policy.check(host, 5432)).as(host)
                    .isInstanceOfSatisfying(WarehouseFailure.class,
                            f -> assertThat(f.kind()).isEqualTo(WarehouseFailure.Kind.HOST_NOT_ALLOWED));
        }
        assertThatCode(() -> policy.check("10.1.2.3", 5432)).doesNotThrowAnyException();
    }

    @Test
    void theMetadataStoresOwnServerIsRefusedUnlessTheDeploymentAllowsIt() {
        HostPolicy policy = new HostPolicy(false, false, STORE);
        assertThatThrownBy(() -> policy.check("10.9.8.7", 5433)).isInstanceOf(WarehouseFailure.class);
        assertThatCode(() -> policy.check("10.9.8.7", 5432)).doesNotThrowAnyException(); // another server there
        assertThatCode(() -> new HostPolicy(false, true, STORE).check("10.9.8.7", 5433)).doesNotThrowAnyException();
        HostPolicy loopbackStore = new HostPolicy(true, false, "jdbc:postgresql://localhost/warden");
        assertThatThrownBy(() -> loopbackStore.check("127.0.0.1", 5432)).isInstanceOf(WarehouseFailure.class);
        assertThatCode(() -> loopbackStore.check("127.0.0.1", 5433)).doesNotThrowAnyException();
    }

    @Test
    void theEmbeddedStoreHasNoServer() {
        assertThat(HostPolicy.serverOf("jdbc:h2:file:./data/metadata")).isEmpty();
        assertThat(HostPolicy.serverOf("jdbc:postgresql://db.internal:6543/w")).hasValue(new HostPolicy.HostAndPort("db.internal", 6543));
    }
}
