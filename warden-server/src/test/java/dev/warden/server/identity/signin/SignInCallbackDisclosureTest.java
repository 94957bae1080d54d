package dev.warden.server.identity.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Browser;
import dev.warden.server.support.Fixtures;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two attacks found by the attack suite and mended: a return path with a malformed percent
 * escape (once a 500 after the session was made), and the callbacks telling an unknown org from
 * an org without SSO (which the sign-in page itself does not).
 */
class SignInCallbackDisclosureTest extends ApiTest {
    SignInAttacksTest.OrgWithIdp sso;

    @BeforeEach
    void startIdp() {
        sso = new SignInAttacksTest.OrgWithIdp(fixtures, api());
    }

    @AfterEach
    void stopIdp() {
        sso.close();
        clock.reset();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%zz", "/%", "/a%2", "/%E0%A4%A"})
    void aReturnPathWithAMalformedEscapeBecomesTheRoot(String returnTo) {
        Fixtures.Person member = sso.member();
        sso.configure(Map.of());
        Browser browser = new Browser(port);
        sso.nextToken("subject-escape", SignInAttacksTest.verified(member.email()));

        Browser.Page done = sso.signIn(browser, returnTo);

        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(done.headers().allValues("Location")).containsExactly("/");
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void theOidcCallbackDoesNotTellAnUnknownOrgFromAnOrgWithoutSso() {
        Fixtures.TestOrg withoutSso = fixtures.org();
        String unknown = "t" + UUID.randomUUID().toString().substring(0, 12);
        String query = "/callback?state=" + SignInAttacksTest.randomToken() + "&code=" + SignInAttacksTest.randomToken();

        Browser.Page forUnknown = new Browser(port).get("/oidc/" + unknown + query);
        Browser.Page forWithoutSso = new Browser(port).get("/oidc/" + withoutSso.slug() + query);

        assertThat(forWithoutSso.status()).isEqualTo(forUnknown.status());
        assertThat(forWithoutSso.body()).isEqualTo(forUnknown.body());
    }

    @Test
    void theSamlAcsDoesNotTellAnUnknownOrgFromAnOrgWithoutSso() {
        Fixtures.TestOrg withoutSso = fixtures.org();
        String unknown = "t" + UUID.randomUUID().toString().substring(0, 12);
        Map<String, String> form = Map.of("SAMLResponse", "PHNhbWxwOlJlc3BvbnNlLz4=");

        Browser.Page forUnknown = new Browser(port).postForm("/saml/" + unknown + "/acs", form);
        Browser.Page forWithoutSso = new Browser(port).postForm("/saml/" + withoutSso.slug() + "/acs", form);

        assertThat(forWithoutSso.status()).isEqualTo(forUnknown.status());
        assertThat(forWithoutSso.body()).isEqualTo(forUnknown.body());
    }
}
