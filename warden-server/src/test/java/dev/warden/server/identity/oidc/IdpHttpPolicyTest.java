package dev.warden.server.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An org admin names the issuer: Warden must not become their probe of its own network. A host
 * that resolves to an address the policy refuses is never contacted at all.
 */
class IdpHttpPolicyTest {
    @Test
    void aProviderOnARefusedAddressIsNeverContacted() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(300);
            AtomicInteger asked = new AtomicInteger();
            IdpHttp refusingLoopback = IdpHttp.withPolicy((address, port) -> {
                asked.incrementAndGet();
                return !address.isLoopbackAddress();
            });
            HTTPRequest discovery = new HTTPRequest(HTTPRequest.Method.GET,
                    URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/.well-known/openid-configuration"));

            assertThatThrownBy(() -> refusingLoopback.send(discovery)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not allowed");

            assertThat(asked.get()).isEqualTo(1);
            assertThatThrownBy(listener::accept).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void theWarehouseHostPolicyRefusesMetadataAndLinkLocalAddressesForProvidersToo() throws Exception {
        var hosts = new dev.warden.server.connections.execution.HostPolicyForTests().policy(false);
        assertThat(hosts.allows(InetAddress.getByName("169.254.169.254"), 80)).isFalse();
        assertThat(hosts.allows(InetAddress.getByName("100.100.100.200"), 80)).isFalse();
        assertThat(hosts.allows(InetAddress.getByName("127.0.0.1"), 443)).isFalse();
        assertThat(hosts.allows(InetAddress.getByName("0.0.0.0"), 443)).isFalse();
        assertThat(hosts.allows(InetAddress.getByName("10.1.2.3"), 443)).as("a self-hosted IdP on the company network").isTrue();
        assertThat(new dev.warden.server.connections.execution.HostPolicyForTests().policy(true)
                .allows(InetAddress.getByName("127.0.0.1"), 443)).isTrue();
    }
}
