package dev.warden.server.identity.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgRole;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Browser;
import dev.warden.server.support.Fixtures;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A browser session after sign-in, attacked over HTTP: both timeouts on the test clock, a bearer
 * credential that always decides alone, the operator API that no session opens, another
 * session's CSRF token, and the security headers of the pages and of the API.
 */
class BrowserSessionTest extends ApiTest {
    SignInAttacksTest.OrgWithIdp sso;

    @BeforeEach
    void startIdp() {
        sso = new SignInAttacksTest.OrgWithIdp(fixtures, api());
        sso.configure(Map.of());
    }

    @AfterEach
    void stopIdp() {
        sso.close();
        clock.reset();
    }

    private Browser signedIn(Fixtures.Person person) {
        Browser browser = new Browser(port);
        sso.signInAs(browser, "subject-" + person.id().value(), person.email());
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);
        return browser;
    }

    // ---- 7. timeouts --------------------------------------------------------------------

    @Test
    void aSessionIdleForMoreThanAnHourIsRefusedAndStaysEnded() {
        Browser browser = signedIn(sso.member());

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        Browser.Page idle = browser.get("/api/v1/me");
        Browser.Page home = browser.get("/");
        clock.reset();
        Browser.Page afterClockReset = browser.get("/api/v1/me");

        assertThat(idle.status()).isEqualTo(401);
        assertThat(home.status()).isEqualTo(303);
        assertThat(home.location()).contains("/signin");
        // Ended on the server, not merely out of time: turning the clock back does not revive it.
        assertThat(afterClockReset.status()).isEqualTo(401);
    }

    @Test
    void aSessionIdleForJustUnderAnHourStillWorks() {
        Browser browser = signedIn(sso.member());

        clock.advance(Duration.ofMinutes(59));

        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void activityEveryFiftyMinutesKeepsASessionAliveUntilTwelveHoursAfterSignIn() {
        Browser browser = signedIn(sso.member());
        Duration elapsed = Duration.ZERO;
        Duration step = Duration.ofMinutes(50);

        while (elapsed.plus(step).compareTo(Duration.ofHours(12)) < 0) {
            clock.advance(step);
            elapsed = elapsed.plus(step);
            assertThat(browser.get("/api/v1/me").status()).as("after %s", elapsed).isEqualTo(200);
        }
        assertThat(elapsed).isEqualTo(Duration.ofMinutes(700));
        clock.advance(Duration.ofHours(12).minus(elapsed).plusSeconds(1));

        assertThat(browser.get("/api/v1/me").status()).isEqualTo(401);
        clock.reset();
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(401);
    }

    // ---- 8. a bearer credential decides alone -------------------------------------------

    @Test
    void anInvalidBearerWithAValidSessionCookieIsRefused() {
        Browser browser = signedIn(sso.member());

        for (String authorization : List.of("Bearer wdn_" + "x".repeat(60), "Bearer wdn_", "Bearer not-a-warden-key",
                "Bearer ", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()),
                "Negotiate abc")) {
            assertThat(browser.get("/api/v1/me", Map.of("Authorization", authorization)).status()).as(authorization)
                    .isEqualTo(401);
        }
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void aValidBearerWinsOverTheSessionCookie() {
        Fixtures.Person member = sso.member();
        Browser browser = signedIn(member);

        Browser.Page me = browser.get("/api/v1/me", Map.of("Authorization", "Bearer " + sso.org().admin().key()));

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).contains(sso.org().admin().id().value().toString())
                .doesNotContain(member.id().value().toString()).contains("\"actor_kind\":\"API_KEY\"");
    }

    @Test
    void anAdminsSessionCookieNeverOpensTheOperatorApi() {
        Browser browser = signedIn(sso.person(OrgRole.ORG_ADMIN));

        for (String path : List.of("/operator/api/v1/orgs", "/operator/api/v1/orgs/")) {
            Browser.Page operators = browser.get(path);
            Browser.Page withCsrf = browser.get(path, Map.of("X-CSRF-Token", browser.cookies().get("warden_csrf")));
            assertThat(operators.status()).as(path).isEqualTo(401);
            assertThat(withCsrf.status()).as(path).isEqualTo(401);
            assertThat(operators.body()).as(path).doesNotContain(sso.slug());
        }
        Browser.Page create = browser.send("POST", "/operator/api/v1/orgs", "{\"slug\":\"evil\"}",
                Map.of("Content-Type", "application/json", "X-CSRF-Token", browser.cookies().get("warden_csrf")));
        assertThat(create.status()).isEqualTo(401);
    }

    @Test
    void anotherSessionsCsrfTokenDoesNotCount() {
        Browser victims = signedIn(sso.member());
        Browser attackers = signedIn(sso.member());
        String attackersCsrf = attackers.cookies().get("warden_csrf");

        Browser.Page write = victims.send("POST", "/api/v1/api-keys", "{\"name\":\"stolen\"}",
                Map.of("Content-Type", "application/json", "X-CSRF-Token", attackersCsrf));
        Browser.Page signOut = victims.postForm("/signout", Map.of("_csrf", attackersCsrf));

        assertThat(write.status()).isEqualTo(403);
        assertThat(signOut.status()).isEqualTo(403);
        assertThat(victims.get("/api/v1/me").status()).isEqualTo(200);
    }

    // ---- 9. headers -------------------------------------------------------------------------

    @Test
    void theSignInPagesCarryTheSecurityHeadersAndNoHstsOverPlainHttp() {
        Browser browser = new Browser(port);
        Browser.Page page = browser.get("/signin");
        Browser.Page unknownOrg = browser.get("/signin?org=nosuchorg");
        Browser.Page refused = browser.get("/oidc/" + sso.slug() + "/callback?error=access_denied");

        for (Browser.Page p : List.of(page, unknownOrg, refused)) {
            assertThat(p.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
            assertSecurityHeaders(p.headers());
        }
        assertThat(page.status()).isEqualTo(200);
        assertThat(unknownOrg.status()).isEqualTo(404);
        assertThat(refused.status()).isEqualTo(400);
    }

    @Test
    void theApiResponsesToASessionCarryTheSecurityHeadersAndNoHstsOverPlainHttp() {
        Browser browser = signedIn(sso.member());

        Browser.Page me = browser.get("/api/v1/me");
        Browser.Page home = browser.get("/");
        Browser.Page refused = new Browser(port).get("/api/v1/me", Map.of("Cookie", "warden_session=wbs_nothing"));
        Browser.Page csrfRefused = browser.send("POST", "/api/v1/api-keys", "{\"name\":\"x\"}",
                Map.of("Content-Type", "application/json"));

        assertThat(me.status()).isEqualTo(200);
        assertThat(home.status()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(csrfRefused.status()).isEqualTo(403);
        for (Browser.Page p : List.of(me, home, refused, csrfRefused)) {
            assertSecurityHeaders(p.headers());
        }
    }

    private static void assertSecurityHeaders(HttpHeaders headers) {
        assertThat(headers.allValues("Content-Security-Policy")).isNotEmpty()
                .allSatisfy(csp -> assertThat(csp).contains("frame-ancestors 'none'"));
        assertThat(headers.allValues("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(headers.allValues("Referrer-Policy")).containsExactly("no-referrer");
        assertThat(headers.firstValue("Strict-Transport-Security")).isEmpty();
    }
}
