package dev.warden.server.supportaccess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Browser;
import dev.warden.server.support.Fixtures;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operators' realm (issue 5, item 8; used by support access, issue 7): operators sign in
 * through the deployment's own OIDC provider, separate from every org, and then work only through
 * the operator API and support grants, exactly as with an operator key.
 */
class OperatorRealmTest extends ApiTest {
    static final String CLIENT_ID = "warden-operators";
    static final MockOAuth2Server idp = started();

    static MockOAuth2Server started() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start(0);
        return server;
    }

    @AfterAll
    static void stopIdp() {
        idp.shutdown();
    }

    @DynamicPropertySource
    static void realm(DynamicPropertyRegistry registry) {
        registry.add("warden.support.realm.issuer", () -> idp.issuerUrl("operators").toString().replaceAll("/$", ""));
        registry.add("warden.support.realm.client-id", () -> CLIENT_ID);
        registry.add("warden.support.realm.client-secret", () -> "operators-realm-client-secret-42");
        registry.add("warden.support.operator-emails", () -> "carol=carol@vendor.example");
    }

    static void nextToken(String email, boolean verified) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("operators", "sub-" + email, "JWT", List.of(CLIENT_ID),
                Map.of("email", email, "email_verified", verified), 300));
    }

    Browser.Page signIn(Browser browser) {
        Browser.Page start = browser.get("/operator/signin");
        assertThat(start.status()).isEqualTo(303);
        Browser.Page atIdp = browser.get(start.location().orElseThrow());
        String callback = atIdp.location().orElseThrow();
        assertThat(callback).startsWith(Browser.PUBLIC_URL + "/operator/oidc/callback?");
        return browser.get(callback);
    }

    @Test
    void anOperatorSignsInThroughTheRealmAndWorksOnlyUnderAGrant() {
        Fixtures.TestOrg org = fixtures.org();
        Browser carol = new Browser(port);
        nextToken("carol@vendor.example", true);

        Browser.Page done = signIn(carol);

        assertThat(done.status()).isEqualTo(303);
        assertThat(done.location()).contains("/operator/api/v1/orgs");
        Browser.Page before = carol.get("/operator/api/v1/orgs");
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.body()).doesNotContain(org.slug());
        // the realm's session is no org's session
        assertThat(carol.get("/api/v1/me").status()).isEqualTo(401);

        var granted = api().post(org.admin().key(), "/api/v1/support-access", Map.of("scope", "METADATA",
                "duration_hours", 2, "reason", "ticket 9: realm test", "operators", List.of("carol")));
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        assertThat(carol.get("/operator/api/v1/orgs").body()).contains(org.slug());

        String path = "/operator/api/v1/orgs/" + org.slug() + "/sessions";
        Browser.Page withoutCsrf = carol.send("POST", path, null, Map.of());
        assertThat(withoutCsrf.status()).isEqualTo(403);
        Browser.Page opened = carol.send("POST", path, null, Map.of("X-CSRF-Token", carol.cookies().get("warden_operator_csrf")));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String token = tools.jackson.databind.json.JsonMapper.builder().build().readTree(opened.body()).path("token").asString();
        var me = api().get(token, "/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("support_grant").path("operator").asString()).isEqualTo("carol");
        assertThat(api().get(token, "/api/v1/api-keys").status()).isEqualTo(403);
    }

    @Test
    void aVerifiedAccountThatIsNoOperatorIsRefused() {
        Browser mallory = new Browser(port);
        nextToken("mallory@vendor.example", true);

        Browser.Page done = signIn(mallory);

        assertThat(done.status()).isEqualTo(403);
        assertThat(done.body()).contains("not one of this deployment");
        assertThat(mallory.cookies()).doesNotContainKey("warden_operator");
        assertThat(mallory.get("/operator/api/v1/orgs").status()).isEqualTo(401);
    }

    @Test
    void anUnverifiedEmailIsRefusedEvenWhenItIsAnOperators() {
        Browser impostor = new Browser(port);
        nextToken("carol@vendor.example", false);

        assertThat(signIn(impostor).status()).isEqualTo(403);
        assertThat(impostor.cookies()).doesNotContainKey("warden_operator");
    }

    @Test
    void anOrgsSessionCookieNeverOpensTheOperatorApiNorTheOtherWayRound() {
        Browser carol = new Browser(port);
        nextToken("carol@vendor.example", true);
        signIn(carol);
        String operatorCookie = carol.cookies().get("warden_operator");

        Browser swapped = new Browser(port);
        Browser.Page asOrgSession = swapped.get("/api/v1/me", Map.of("Cookie", "warden_session=" + operatorCookie));
        assertThat(asOrgSession.status()).isEqualTo(401);
    }

    @Test
    void signOutEndsTheOperatorsSession() {
        Browser carol = new Browser(port);
        nextToken("carol@vendor.example", true);
        signIn(carol);
        String cookie = carol.cookies().get("warden_operator");

        Browser.Page out = carol.postForm("/operator/signout", Map.of("_csrf", carol.cookies().get("warden_operator_csrf")));

        assertThat(out.status()).isEqualTo(303);
        assertThat(new Browser(port).get("/operator/api/v1/orgs", Map.of("Cookie", "warden_operator=" + cookie)).status())
                .isEqualTo(401);
    }
}
