package dev.warden.server.identity.signin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each sign-in start stores a row: one source address may start only so many a minute. */
class StartLimitTest {
    @Test
    void oneAddressGetsItsQuotaAndOthersKeepTheirs() {
        SignInService.StartLimit limit = new SignInService.StartLimit(3);

        assertThat(limit.admit("203.0.113.7")).isTrue();
        assertThat(limit.admit("203.0.113.7")).isTrue();
        assertThat(limit.admit("203.0.113.7")).isTrue();
        assertThat(limit.admit("203.0.113.7")).isFalse();
        assertThat(limit.admit("203.0.113.7")).isFalse();
        assertThat(limit.admit("198.51.100.1")).isTrue();
    }
}
