package dev.warden.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The deployment's operator directory and its source-network restriction. */
class OperatorsTest {
    @Test
    void operatorsMayBeRestrictedToSourceNetworks() {
        Operators restricted = new Operators("alice=" + "a".repeat(64), "10.0.0.0/8, 192.168.7.0/24", "");
        assertThat(restricted.allowedSource("10.1.2.3")).isTrue();
        assertThat(restricted.allowedSource("192.168.7.9")).isTrue();
        assertThat(restricted.allowedSource("127.0.0.1")).isFalse();
        assertThat(restricted.allowedSource("not-an-address.example")).isFalse();
        Operators open = new Operators("alice=" + "a".repeat(64), "", "");
        assertThat(open.allowedSource("127.0.0.1")).isTrue();
    }

    @Test
    void aMalformedDirectoryStopsStartup() {
        assertThatThrownBy(() -> new Operators("alice=not-a-hash", "", "")).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("not-a-hash");
        assertThatThrownBy(() -> new Operators("Alice Smith=" + "a".repeat(64), "", "")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void operatorsOfTheOperatorsIdpAreKnownByTheirVerifiedEmailOnly() {
        Operators both = new Operators("alice=" + "a".repeat(64), "", "carol=Carol@Vendor.example, dave=dave@vendor.example");
        assertThat(both.byVerifiedEmail("carol@vendor.example")).contains("carol");
        assertThat(both.byVerifiedEmail("CAROL@vendor.example")).contains("carol");
        assertThat(both.byVerifiedEmail("mallory@vendor.example")).isEmpty();
        assertThat(both.exists("alice")).isTrue();
        assertThat(both.exists("carol")).isTrue();
        assertThat(both.exists("mallory")).isFalse();
        assertThatThrownBy(() -> new Operators("", "", "carol=not-an-email")).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("not-an-email");
        assertThatThrownBy(() -> new Operators("", "", "carol=c@v.example,dave=c@v.example"))
                .isInstanceOf(IllegalStateException.class);
    }
}
