package dev.warden.server.identity.signin;

import static dev.warden.server.identity.signin.SignInAttacksTest.verified;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Browser;
import dev.warden.server.support.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a review of the sign-in web layer found, each tried again from the attacker's side:
 * another site starting a sign-in into an org of its choosing, another site signing a person
 * out, an IdP value that no longer fits keeping the old one alive, and the Google preset
 * provisioning every Google account.
 */
class SignInReviewFindingsTest extends ApiTest {
    SignInAttacksTest.OrgWithIdp sso;

    @BeforeEach
    void startIdp() {
        sso = new SignInAttacksTest.OrgWithIdp(fixtures, api());
        sso.configure(Map.of());
    }

    @AfterEach
    void stopIdp() {
        sso.close();
    }

    @Test
    void anotherSiteCannotStartASignInItOnlyGetsAPageThePersonMustConfirm() {
        Browser victim = new Browser(port);

        Browser.Page crossSite = victim.get("/signin?org=" + sso.slug(), Map.of("Sec-Fetch-Site", "cross-site"));
        Browser.Page sameSite = victim.get("/signin?org=" + sso.slug(), Map.of("Sec-Fetch-Site", "same-site"));

        for (Browser.Page page : List.of(crossSite, sameSite)) {
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.location()).isEmpty();
            assertThat(page.body()).contains("Another site sent you here").contains("Continue to " + sso.slug());
        }
        assertThat(victim.cookies()).doesNotContainKey("warden_signin");
        // The person's own click (same-origin) or a typed address (none) goes on to the IdP.
        assertThat(victim.get("/signin?org=" + sso.slug(), Map.of("Sec-Fetch-Site", "same-origin")).status()).isEqualTo(303);
        assertThat(new Browser(port).get("/signin?org=" + sso.slug(), Map.of("Sec-Fetch-Site", "none")).status()).isEqualTo(303);
    }

    @Test
    void aCrossSiteSignOutFormCannotMakeTheBrowserDropItsSession() {
        Browser browser = new Browser(port);
        Fixtures.Person member = sso.member();
        sso.signInAs(browser, "subject-signout", member.email());
        String session = browser.cookies().get("warden_session");

        // A cross-site POST carries no SameSite=Lax cookie: the server sees no session at all.
        Browser.Page forged = new Browser(port).postForm("/signout", Map.of());

        assertThat(forged.status()).isEqualTo(303);
        assertThat(forged.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(browser.cookies()).containsEntry("warden_session", session);
    }

    @Test
    void anIdpValueThatNoLongerFitsClearsTheOldValueInsteadOfKeepingIt() {
        Api.Response defined = api().post(sso.org().admin().key(), "/api/v1/user-attributes",
                Map.of("name", "cost_center", "type", "number", "multi_valued", false));
        assertThat(defined.status()).as(defined.body()).isEqualTo(201);
        sso.configure(Map.of("claim_mapping", Map.of("cost_center", "cost_center")));
        Fixtures.Person member = sso.member();
        Map<String, Object> claims = new HashMap<>(verified(member.email()));
        claims.put("cost_center", "4711");
        sso.nextToken("subject-cc", claims);
        assertThat(sso.signIn(new Browser(port), null).status()).isEqualTo(303);
        assertThat(own(member)).containsEntry("cost_center", List.of("4711"));

        claims.put("cost_center", "not a number");
        sso.nextToken("subject-cc", claims);
        assertThat(sso.signIn(new Browser(port), null).status()).isEqualTo(303);

        assertThat(own(member)).doesNotContainKey("cost_center");
        Api.Response events = api().get(sso.org().admin().key(), "/api/v1/audit-events?action=auth.sign_in");
        assertThat(events.body()).contains("attributes_not_applied").contains("cost_center");
    }

    @Test
    void theGooglePresetRefusesJustInTimeProvisioningWithoutAllowedDomains() {
        Api.Response refused = api().put(sso.org().admin().key(), "/api/v1/sso/oidc", Map.of("preset", "google",
                "client_id", "x.apps.googleusercontent.com", "client_secret", "s3cret-google", "jit_provisioning", true));
        Api.Response allowed = api().put(sso.org().admin().key(), "/api/v1/sso/oidc", Map.of("preset", "google",
                "client_id", "x.apps.googleusercontent.com", "client_secret", "s3cret-google", "jit_provisioning", true,
                "allowed_email_domains", List.of("acme.example")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("allowed_email_domains").doesNotContain("s3cret-google");
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    }

    private Map<String, Object> own(Fixtures.Person person) {
        Api.Response values = api().get(sso.org().admin().key(), "/api/v1/users/" + person.id().value() + "/attributes");
        assertThat(values.status()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> own = tools.jackson.databind.json.JsonMapper.builder().build()
                .convertValue(values.json().path("own"), Map.class);
        return own;
    }
}
