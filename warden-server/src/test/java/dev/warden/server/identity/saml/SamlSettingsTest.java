package dev.warden.server.identity.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SamlSettingsTest {
    @Test
    void defaultsAreTheSafeOnes() {
        SamlSettings settings = TestIdp.settings(SamlResponseValidatorTest.ACME).build();
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.allowUnsolicited()).isFalse();
        assertThat(settings.requiredAuthnContextClassRefs()).isEmpty();
    }

    @Test
    void theSkewIsAtMostFiveMinutes() {
        assertThat(TestIdp.settings(SamlResponseValidatorTest.ACME).clockSkew(Duration.ofMinutes(5)).build().clockSkew())
                .isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> TestIdp.settings(SamlResponseValidatorTest.ACME).clockSkew(Duration.ofMinutes(6)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestIdp.settings(SamlResponseValidatorTest.ACME).clockSkew(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void atLeastOneCertificateAndAbsoluteHttpUrlsAreRequired() {
        assertThatThrownBy(() -> SamlSettings.builder(SamlResponseValidatorTest.ACME).idp(TestIdp.IDP_ENTITY, TestIdp.IDP_SSO)
                .sp(TestIdp.SP_ENTITY, TestIdp.ACS).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestIdp.settings(SamlResponseValidatorTest.ACME).sp(TestIdp.SP_ENTITY, URI.create("/acs")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestIdp.settings(SamlResponseValidatorTest.ACME)
                .idp(TestIdp.IDP_ENTITY, URI.create("javascript:alert(1)")).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
