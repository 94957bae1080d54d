package dev.warden.server.identity.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgRole;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Browser;
import dev.warden.server.support.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole browser sign-in through OIDC, against a real OIDC provider (mock-oauth2-server):
 * sign-in page, provider, callback, session cookie, the API with the cookie, CSRF, sign-out.
 */
class OidcBrowserSignInTest extends ApiTest {
    static final String CLIENT_ID = "warden-browser-test";
    static final String SECRET = "browser-test-client-secret-0123456789";
    static MockOAuth2Server idp;

    Fixtures.TestOrg org;
    Fixtures.Person member;

    @BeforeAll
    static void startIdp() {
        idp = new MockOAuth2Server();
        idp.start(0);
    }

    @AfterAll
    static void stopIdp() {
        idp.shutdown();
    }

    @BeforeEach
    void configureOrg() {
        org = fixtures.org();
        member = fixtures.person(org, OrgRole.MEMBER);
        Map<String, Object> oidc = new LinkedHashMap<>();
        oidc.put("issuer", issuer(org.slug()));
        oidc.put("client_id", CLIENT_ID);
        oidc.put("client_secret", SECRET);
        assertThat(api().put(org.admin().key(), "/api/v1/sso/oidc", oidc).status()).isEqualTo(200);
    }

    static String issuer(String slug) {
        return idp.issuerUrl(slug).toString().replaceAll("/$", "");
    }

    /** The provider's next ID token says this about the person. */
    static void nextToken(String slug, String subject, Map<String, Object> claims) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(slug, subject, "JWT", List.of(CLIENT_ID), claims, 300));
    }

    static Map<String, Object> verified(String email) {
        return Map.of("email", email, "email_verified", true, "name", "Test Person");
    }

    /** Page, provider, callback: returns the callback's answer (a redirect into Warden, or a refusal). */
    Browser.Page signIn(Browser browser, String returnTo) {
        Browser.Page start = browser.get("/signin?org=" + org.slug() + (returnTo == null ? "" : "&return_to=" + returnTo));
        assertThat(start.status()).isEqualTo(303);
        assertThat(start.location()).get().asString().startsWith(issuer(org.slug()) + "/authorize?");
        Browser.Page atIdp = browser.get(start.location().get());
        assertThat(atIdp.status()).isEqualTo(302);
        String callback = atIdp.location().orElseThrow();
        assertThat(callback).startsWith(Browser.PUBLIC_URL + "/oidc/" + org.slug() + "/callback?");
        return browser.get(callback);
    }

    @Test
    void aPersonSignsInAndTheApiKnowsThemByTheirSessionCookie() {
        Browser browser = new Browser(port);
        nextToken(org.slug(), "subject-1", verified(member.email()));

        Browser.Page done = signIn(browser, null);

        assertThat(done.status()).isEqualTo(303);
        assertThat(done.location()).contains("/");
        Browser.Page me = browser.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).contains(member.email()).contains("\"actor_kind\":\"USER\"");
        Browser.Page home = browser.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains(member.email());
    }

    @Test
    void theSessionCookieIsHttpOnlyLaxAndTheCsrfCookieIsReadable() {
        Browser browser = new Browser(port);
        nextToken(org.slug(), "subject-2", verified(member.email()));
        signIn(browser, null);

        assertThat(browser.lastSetCookie("warden_session")).get().asString()
                .contains("HttpOnly").contains("SameSite=Lax").contains("Path=/").doesNotContain("Max-Age");
        assertThat(browser.lastSetCookie("warden_csrf")).get().asString()
                .doesNotContain("HttpOnly").contains("SameSite=Strict");
        assertThat(browser.lastSetCookie("warden_signin")).get().asString().contains("Max-Age=0");
    }

    @Test
    void aChangeWithTheCookieNeedsTheCsrfTokenAndWorksWithIt() {
        Browser browser = new Browser(port);
        nextToken(org.slug(), "subject-3", verified(member.email()));
        signIn(browser, null);
        String body = "{\"name\":\"laptop\"}";

        Browser.Page without = browser.send("POST", "/api/v1/api-keys", body, Map.of("Content-Type", "application/json"));
        Browser.Page wrong = browser.send("POST", "/api/v1/api-keys", body,
                Map.of("Content-Type", "application/json", "X-CSRF-Token", "A".repeat(43)));
        Browser.Page with = browser.send("POST", "/api/v1/api-keys", body,
                Map.of("Content-Type", "application/json", "X-CSRF-Token", browser.cookies().get("warden_csrf")));

        assertThat(without.status()).isEqualTo(403);
        assertThat(without.body()).contains("csrf-token");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(with.status()).isEqualTo(201);
    }

    @Test
    void signOutEndsTheSessionOnTheServer() {
        Browser browser = new Browser(port);
        nextToken(org.slug(), "subject-4", verified(member.email()));
        signIn(browser, null);
        String stolen = browser.cookies().get("warden_session");

        Browser.Page refusedWithoutToken = browser.postForm("/signout", Map.of());
        assertThat(refusedWithoutToken.status()).isEqualTo(403);
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);

        Browser.Page out = browser.postForm("/signout", Map.of("_csrf", browser.cookies().get("warden_csrf")));
        assertThat(out.status()).isEqualTo(303);
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        Browser.Page replayed = new Browser(port).get("/api/v1/me", Map.of("Cookie", "warden_session=" + stolen));
        assertThat(replayed.status()).isEqualTo(401);
    }

    @Test
    void anOrgThatRequiresMfaRefusesASignInWithoutItAndSaysWhy() {
        Map<String, Object> oidc = new LinkedHashMap<>();
        oidc.put("issuer", issuer(org.slug()));
        oidc.put("client_id", CLIENT_ID);
        oidc.put("required_amr", List.of("mfa"));
        assertThat(api().put(org.admin().key(), "/api/v1/sso/oidc", oidc).status()).isEqualTo(200);
        Map<String, Object> passwordOnly = new LinkedHashMap<>(verified(member.email()));
        passwordOnly.put("amr", List.of("pwd"));
        Map<String, Object> withMfa = new LinkedHashMap<>(verified(member.email()));
        withMfa.put("amr", List.of("pwd", "mfa"));

        nextToken(org.slug(), "subject-mfa", passwordOnly);
        Browser refusedBrowser = new Browser(port);
        Browser.Page refused = signIn(refusedBrowser, null);
        nextToken(org.slug(), "subject-mfa", withMfa);
        Browser.Page allowed = signIn(new Browser(port), null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("requires multi-factor authentication");
        assertThat(refusedBrowser.cookies()).doesNotContainKey("warden_session");
        assertThat(allowed.status()).isEqualTo(303);
        assertThat(api().get(org.admin().key(), "/api/v1/audit-events?action=auth.sign_in").body())
                .contains("MFA_REQUIRED");
    }
}
