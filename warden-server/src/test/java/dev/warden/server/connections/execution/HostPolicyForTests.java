package dev.warden.server.connections.execution;

/** Builds the host policy outside Spring, for tests in other packages. */
public final class HostPolicyForTests {
    public HostPolicy policy(boolean allowLoopback) {
        return new HostPolicy(allowLoopback, false, "jdbc:h2:mem:test");
    }
}
