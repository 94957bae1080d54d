package dev.warden.server.identity.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgRole;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Browser;
import dev.warden.server.support.Fixtures;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Attacks on the browser sign-in over HTTP, against a real OIDC provider (mock-oauth2-server):
 * open redirects through {@code return_to}, session fixation, login CSRF and replayed callbacks,
 * finding out which orgs exist, disabled and unknown people, identity conflicts, and what the
 * audit log and the pages give away. The ID token checks themselves are OidcSignInTest's.
 *
 * <p>Each test has its own org and its own provider: a scripted token that a refused sign-in never
 * fetched would otherwise be handed to the next test's sign-in.
 */
class SignInAttacksTest extends ApiTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}");

    OrgWithIdp sso;

    @BeforeEach
    void startIdp() {
        sso = new OrgWithIdp(fixtures, api());
    }

    @AfterEach
    void stopIdp() {
        sso.close();
        clock.reset();
    }

    // ---- 1. open redirect ----------------------------------------------------------------

    /** What an attacker may put in {@code return_to} (as the server decodes it) to leave Warden after sign-in. */
    static Stream<String> foreignReturnPaths() {
        return Stream.of(
                "//evil.example",
                "//evil.example/api/v1/me",
                "https://evil.example",
                "https://evil.example/",
                "http:evil.example",
                "/\\evil.example",
                "\\/evil.example",
                "\\\\evil.example",
                "/%5Cevil.example",
                "/%5cevil.example",
                "/%2F%2Fevil.example",
                "/%2f%2fevil.example",
                "%2F%2Fevil.example",
                "javascript:alert(1)",
                "JavaScript:alert(1)",
                "data:text/html,<script>alert(1)</script>",
                " /x",
                "/x\r\nSet-Cookie:a=b",
                "/x\nLocation: https://evil.example",
                "/\t/evil.example",
                "/ /evil.example",
                "/x/../../evil.example",
                "/\u0000/evil.example",
                "/\uFF0F\uFF0Fevil.example",
                "/" + "a".repeat(1_999));
    }

    @ParameterizedTest
    @MethodSource("foreignReturnPaths")
    void aReturnPathOffThisServerBecomesTheRoot(String returnTo) {
        Fixtures.Person member = sso.member();
        sso.configure(Map.of());
        Browser browser = new Browser(port);
        sso.nextToken("subject-redirect", verified(member.email()));

        Browser.Page done = sso.signIn(browser, returnTo);

        assertThat(done.status()).isEqualTo(303);
        assertThat(done.headers().allValues("Location")).containsExactly("/");
        assertThat(done.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("a="));
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void aReturnPathOnThisServerIsKeptWithItsQuery() {
        Fixtures.Person member = sso.member();
        sso.configure(Map.of());
        Browser browser = new Browser(port);
        sso.nextToken("subject-keep", verified(member.email()));

        Browser.Page done = sso.signIn(browser, "/api/v1/me?x=1");

        assertThat(done.status()).isEqualTo(303);
        assertThat(done.headers().allValues("Location")).containsExactly("/api/v1/me?x=1");
    }

    @Test
    void theSignInPageDoesNotEchoAForeignReturnPathIntoItsForm() {
        Browser.Page page = new Browser(port).get("/signin?return_to=" + encode("//evil.example\"><script>x</script>"));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"return_to\" value=\"/\"").doesNotContain("evil.example")
                .doesNotContain("<script>");
    }

    // ---- 2. session fixation ----------------------------------------------------------

    @Test
    void aPlantedRandomSessionCookieIsNotTheSessionAfterSignIn() {
        Fixtures.Person victim = sso.member();
        sso.configure(Map.of());
        Browser browser = new Browser(port);
        String planted = "wbs_" + UUID.randomUUID().toString().replace("-", "") + "_" + UUID.randomUUID().toString().replace("-", "");
        browser.cookies().put("warden_session", planted);
        browser.cookies().put("warden_csrf", "A".repeat(43));

        sso.signInAs(browser, "subject-victim", victim.email());

        assertThat(browser.cookies().get("warden_session")).isNotEqualTo(planted).startsWith("wbs_");
        assertThat(browser.cookies().get("warden_csrf")).isNotEqualTo("A".repeat(43));
        assertThat(browser.get("/api/v1/me").body()).contains(victim.id().value().toString());
        assertThat(withCookie("warden_session=" + planted).status()).isEqualTo(401);
    }

    @Test
    void anAttackersOwnSessionPlantedInTheVictimsBrowserIsEndedByTheVictimsSignIn() {
        Fixtures.Person attacker = sso.member();
        Fixtures.Person victim = sso.member();
        sso.configure(Map.of());
        Browser attackersBrowser = new Browser(port);
        sso.signInAs(attackersBrowser, "subject-attacker", attacker.email());
        String attackersSession = attackersBrowser.cookies().get("warden_session");
        String attackersCsrf = attackersBrowser.cookies().get("warden_csrf");
        Browser victimsBrowser = new Browser(port);
        victimsBrowser.cookies().put("warden_session", attackersSession);
        victimsBrowser.cookies().put("warden_csrf", attackersCsrf);
        assertThat(victimsBrowser.get("/api/v1/me").body()).contains(attacker.id().value().toString());

        sso.signInAs(victimsBrowser, "subject-victim", victim.email());

        assertThat(victimsBrowser.cookies().get("warden_session")).isNotEqualTo(attackersSession);
        assertThat(victimsBrowser.cookies().get("warden_csrf")).isNotEqualTo(attackersCsrf);
        Browser.Page me = victimsBrowser.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).contains(victim.id().value().toString()).doesNotContain(attacker.id().value().toString());
        // The attacker can no longer follow what the victim does under the old session.
        assertThat(attackersBrowser.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(withCookie("warden_session=" + attackersSession).status()).isEqualTo(401);
    }

    @Test
    void twoSessionCookiesOfOneNameAreNeitherAccepted() {
        Fixtures.Person victim = sso.member();
        Fixtures.Person attacker = sso.member();
        sso.configure(Map.of());
        Browser victims = new Browser(port);
        sso.signInAs(victims, "subject-victim", victim.email());
        Browser attackers = new Browser(port);
        sso.signInAs(attackers, "subject-attacker", attacker.email());
        String good = victims.cookies().get("warden_session");
        String other = attackers.cookies().get("warden_session");
        String garbage = "wbs_" + "x".repeat(40);

        for (String cookie : List.of("warden_session=" + good + "; warden_session=" + garbage,
                "warden_session=" + garbage + "; warden_session=" + good,
                "warden_session=" + good + "; warden_session=" + other,
                "warden_session=" + other + "; warden_session=" + good,
                "warden_session=" + good + "; warden_session=" + good)) {
            assertThat(withCookie(cookie).status()).as(cookie).isEqualTo(401);
            Browser.Page home = new Browser(port).get("/", Map.of("Cookie", cookie));
            assertThat(home.status()).as(cookie).isEqualTo(303);
            assertThat(home.location()).as(cookie).contains("/signin");
        }
        // Each alone still works: it is the pair that is refused.
        assertThat(withCookie("warden_session=" + good).status()).isEqualTo(200);
        assertThat(withCookie("warden_session=" + other).status()).isEqualTo(200);
    }

    // ---- 3. login CSRF ----------------------------------------------------------------

    @Test
    void aCallbackOpenedInABrowserWithoutTheBindingCookieIsRefused() {
        Fixtures.Person attacker = sso.member();
        sso.configure(Map.of());
        sso.nextToken("subject-attacker", verified(attacker.email()));
        String callback = sso.toCallback(new Browser(port), null);
        Browser victims = new Browser(port);

        Browser.Page refused = victims.get(callback);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(refused.body()).contains("started in another browser");
        assertThat(victims.cookies()).doesNotContainKey("warden_session");
        assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("warden_session="));
        assertThat(victims.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(sso.failureReasons()).contains("BROWSER_MISMATCH");
    }

    @Test
    void aCallbackOpenedInABrowserThatStartedItsOwnSignInIsRefused() {
        Fixtures.Person attacker = sso.member();
        sso.configure(Map.of());
        sso.nextToken("subject-attacker", verified(attacker.email()));
        String attackersCallback = sso.toCallback(new Browser(port), null);
        Browser victims = new Browser(port);
        assertThat(sso.start(victims, null).status()).isEqualTo(303);
        assertThat(victims.cookies()).containsKey("warden_signin");

        Browser.Page refused = victims.get(attackersCallback);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(victims.cookies()).doesNotContainKey("warden_session");
        assertThat(victims.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void twoBindingCookiesOfOneNameAreNotABinding() {
        Fixtures.Person member = sso.member();
        sso.configure(Map.of());
        sso.nextToken("subject-two-bindings", verified(member.email()));
        Browser starter = new Browser(port);
        String callback = sso.toCallback(starter, null);
        String binding = starter.cookies().get("warden_signin");
        Browser other = new Browser(port);

        Browser.Page refused = other.get(callback, Map.of("Cookie", "warden_signin=" + binding + "; warden_signin=planted"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(other.cookies()).doesNotContainKey("warden_session");
        assertThat(sso.failureReasons()).contains("BROWSER_MISMATCH");
    }

    @Test
    void aCallbackThatAlreadySucceededCannotBeReplayedEvenWithItsBindingCookie() {
        Fixtures.Person member = sso.member();
        sso.configure(Map.of());
        sso.nextToken("subject-replay", verified(member.email()));
        Browser browser = new Browser(port);
        String callback = sso.toCallback(browser, null);
        String binding = browser.cookies().get("warden_signin");
        assertThat(browser.get(callback).status()).isEqualTo(303);
        String session = browser.cookies().get("warden_session");

        browser.cookies().put("warden_signin", binding);
        Browser.Page replayedHere = browser.get(callback);
        Browser elsewhere = new Browser(port);
        Browser.Page replayedElsewhere = elsewhere.get(callback, Map.of("Cookie", "warden_signin=" + binding));

        assertThat(replayedHere.status()).isEqualTo(400);
        assertThat(replayedHere.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("warden_session="));
        assertThat(browser.cookies().get("warden_session")).isEqualTo(session);
        assertThat(replayedElsewhere.status()).isEqualTo(400);
        assertThat(elsewhere.cookies()).doesNotContainKey("warden_session");
        assertThat(sso.failureReasons()).contains("UNKNOWN_STATE");
        assertThat(sso.successes()).hasSize(1);
    }

    @Test
    void aCallbackWithAStateThatWasNeverIssuedIsRefused() {
        sso.member();
        sso.configure(Map.of());
        Browser browser = new Browser(port);
        assertThat(sso.start(browser, null).status()).isEqualTo(303);

        Browser.Page refused = browser.get("/oidc/" + sso.slug() + "/callback?state=" + randomToken() + "&code=" + randomToken());
        Browser.Page withoutState = browser.get("/oidc/" + sso.slug() + "/callback?code=" + randomToken());

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("could not be verified");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(withoutState.status()).isEqualTo(400);
        assertThat(sso.failureReasons()).contains("UNKNOWN_STATE", "STATE_MISSING");
    }

    @Test
    void anIdpErrorIsRefusedWithAPageThatEscapesWhatTheIdpSent() {
        sso.member();
        sso.configure(Map.of());
        Browser browser = new Browser(port);
        String state = queryParam(sso.start(browser, null).location().orElseThrow(), "state");
        Browser other = new Browser(port);
        String otherState = queryParam(sso.start(other, null).location().orElseThrow(), "state");

        Browser.Page denied = browser.get("/oidc/" + sso.slug() + "/callback?error=access_denied&state=" + state);
        Browser.Page odd = other.get("/oidc/" + sso.slug() + "/callback?error="
                + encode("<script>alert(1)</script>") + "&error_description=" + encode("<b>x</b>") + "&state=" + otherState);
        // An error without a sign-in this browser started is only an unknown state.
        Browser.Page stray = new Browser(port).get("/oidc/" + sso.slug() + "/callback?error=access_denied&state=" + state);

        assertThat(denied.status()).isEqualTo(400);
        assertThat(denied.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(denied.body()).contains("did not sign you in (access_denied)").contains("href=\"/signin\"");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(odd.status()).isEqualTo(400);
        assertThat(odd.body()).doesNotContain("<script>").doesNotContain("<b>x</b>").contains("(other)");
        assertThat(stray.status()).isEqualTo(400);
        assertThat(stray.body()).doesNotContain("access_denied");
        assertThat(sso.failureReasons()).contains("IDP_ERROR:access_denied", "IDP_ERROR:other", "UNKNOWN_STATE");
    }

    // ---- 4. which orgs exist ------------------------------------------------------------

    @Test
    void anUnknownOrgAndAnOrgWithoutSsoLookTheSameOnTheSignInPage() {
        Fixtures.TestOrg withoutSso = fixtures.org();
        String unknown = "t" + UUID.randomUUID().toString().substring(0, 12);

        Browser.Page forUnknown = new Browser(port).get("/signin?org=" + unknown + "&return_to=/api/v1/me");
        Browser.Page forWithoutSso = new Browser(port).get("/signin?org=" + withoutSso.slug() + "&return_to=/api/v1/me");
        Browser.Page forInvalidSlug = new Browser(port).get("/signin?org=" + encode("../" + withoutSso.slug()) + "&return_to=/api/v1/me");

        assertThat(forUnknown.status()).isEqualTo(404);
        assertThat(forWithoutSso.status()).isEqualTo(forUnknown.status());
        assertThat(forWithoutSso.body()).isEqualTo(forUnknown.body());
        assertThat(forWithoutSso.headers().firstValue("Content-Type")).isEqualTo(forUnknown.headers().firstValue("Content-Type"));
        assertThat(forWithoutSso.headers().allValues("Set-Cookie")).isEqualTo(forUnknown.headers().allValues("Set-Cookie"))
                .isEmpty();
        assertThat(forInvalidSlug.status()).isEqualTo(forUnknown.status());
        assertThat(forInvalidSlug.body()).isEqualTo(forUnknown.body());
        assertThat(forUnknown.body()).doesNotContain(unknown).doesNotContain(withoutSso.slug());
    }

    // ---- 5. disabled people -------------------------------------------------------------

    @Test
    void aDisabledPersonCannotSignIn() {
        Fixtures.Person member = sso.member();
        sso.configure(Map.of());
        sso.setDisabled(member, true);
        Browser browser = new Browser(port);
        sso.nextToken("subject-disabled", verified(member.email()));

        Browser.Page refused = sso.signIn(browser, null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(refused.body()).contains("disabled");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(sso.failureReasons()).contains("USER_DISABLED");
    }

    @Test
    void aDisabledPersonsRunningSessionEndsAndStaysEndedWhenTheyAreEnabledAgain() {
        Fixtures.Person member = sso.member();
        sso.configure(Map.of());
        Browser browser = new Browser(port);
        sso.signInAs(browser, "subject-running", member.email());
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);

        sso.setDisabled(member, true);
        Browser.Page afterDisable = browser.get("/api/v1/me");
        Browser.Page home = browser.get("/");
        sso.setDisabled(member, false);
        Browser.Page afterEnable = browser.get("/api/v1/me");

        assertThat(afterDisable.status()).isEqualTo(401);
        assertThat(home.status()).isEqualTo(303);
        assertThat(home.location()).contains("/signin");
        assertThat(afterEnable.status()).isEqualTo(401);
    }

    // ---- 6. provisioning ----------------------------------------------------------------

    @Test
    void withoutJitAnUnknownPersonIsRefusedAndNoUserIsCreated() {
        sso.configure(Map.of());
        String stranger = "stranger-" + UUID.randomUUID().toString().substring(0, 8) + "@" + sso.slug() + ".test";
        Browser browser = new Browser(port);
        sso.nextToken("subject-stranger", verified(stranger));

        Browser.Page refused = sso.signIn(browser, null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(sso.userEmails()).doesNotContain(stranger);
        assertThat(sso.failureReasons()).contains("NOT_PROVISIONED");
    }

    @Test
    void withJitAnUnknownPersonBecomesAMember() {
        sso.configure(Map.of("jit_provisioning", true));
        String newcomer = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@" + sso.slug() + ".test";
        Browser browser = new Browser(port);
        sso.nextToken("subject-newcomer", Map.of("email", newcomer, "email_verified", true, "name", "New Comer",
                "role", "ORG_ADMIN", "org_role", "ORG_ADMIN"));

        Browser.Page done = sso.signIn(browser, null);

        assertThat(done.status()).isEqualTo(303);
        JsonNode user = sso.user(newcomer).orElseThrow();
        assertThat(user.path("org_role").asString()).isEqualTo("MEMBER");
        assertThat(user.path("disabled").asBoolean()).isFalse();
        JsonNode me = sso.api.json(browser.get("/api/v1/me"));
        assertThat(me.path("org_role").asString()).isEqualTo("MEMBER");
        assertThat(me.path("user_id").asString()).isEqualTo(user.path("id").asString());
    }

    @Test
    void theSignedInPageEscapesTheNameTheIdpSent() {
        sso.configure(Map.of("jit_provisioning", true));
        String newcomer = "xss-" + UUID.randomUUID().toString().substring(0, 8) + "@" + sso.slug() + ".test";
        Browser browser = new Browser(port);
        sso.nextToken("subject-xss", Map.of("email", newcomer, "email_verified", true,
                "name", "<script>alert(1)</script><img src=x onerror=alert(2)>"));
        assertThat(sso.signIn(browser, null).status()).isEqualTo(303);

        Browser.Page home = browser.get("/");

        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).doesNotContain("<script>alert").doesNotContain("<img").contains("&lt;script&gt;");
    }

    @Test
    void anEmailOutsideTheAllowedDomainsIsRefusedEvenWithJit() {
        String allowedDomain = sso.slug() + ".test";
        sso.configure(Map.of("jit_provisioning", true, "allowed_email_domains", List.of(allowedDomain)));
        String outsider = "outsider-" + UUID.randomUUID().toString().substring(0, 8) + "@evil.example";
        String insider = "insider-" + UUID.randomUUID().toString().substring(0, 8) + "@" + allowedDomain;
        Browser outsiders = new Browser(port);
        sso.nextToken("subject-outsider", verified(outsider));

        Browser.Page refused = sso.signIn(outsiders, null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("domain is not allowed");
        assertThat(outsiders.cookies()).doesNotContainKey("warden_session");
        assertThat(sso.userEmails()).doesNotContain(outsider);
        assertThat(sso.failureReasons()).contains("DOMAIN_NOT_ALLOWED");
        // The allowed domain still signs in, so the refusal above is about the domain.
        sso.nextToken("subject-insider", verified(insider));
        assertThat(sso.signIn(new Browser(port), null).status()).isEqualTo(303);
    }

    @Test
    void anUnverifiedEmailIsRefusedEvenForAKnownPerson() {
        Fixtures.Person member = sso.member();
        sso.configure(Map.of("jit_provisioning", true));
        Browser browser = new Browser(port);
        sso.nextToken("subject-unverified", Map.of("email", member.email(), "email_verified", false));

        Browser.Page refused = sso.signIn(browser, null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("not verified");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(sso.failureReasons()).contains("EMAIL_NOT_VERIFIED");
        // Nor was the subject linked on the way: the same subject, verified this time, is a first sign-in.
        sso.nextToken("subject-unverified", verified(member.email()));
        assertThat(sso.signIn(new Browser(port), null).status()).isEqualTo(303);
        assertThat(sso.successes().getFirst().path("details").path("linked").asBoolean()).isTrue();
    }

    @Test
    void aSecondSubjectWithTheEmailOfALinkedPersonIsAnIdentityConflict() {
        Fixtures.Person member = sso.member();
        sso.configure(Map.of("jit_provisioning", true));
        sso.signInAs(new Browser(port), "subject-original", member.email());
        Browser intruders = new Browser(port);
        sso.nextToken("subject-recycled", verified(member.email()));

        Browser.Page refused = sso.signIn(intruders, null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("linked to another account");
        assertThat(intruders.cookies()).doesNotContainKey("warden_session");
        assertThat(sso.failureReasons()).contains("IDENTITY_CONFLICT");
        assertThat(sso.userEmails().stream().filter(member.email()::equals)).hasSize(1);
        // The original subject still signs the person in.
        Browser original = new Browser(port);
        sso.signInAs(original, "subject-original", member.email());
        assertThat(original.get("/api/v1/me").body()).contains(member.id().value().toString());
    }

    // ---- 10. audit ------------------------------------------------------------------------

    @Test
    void signInsAndRefusalsAreAuditedWithTheirReason() {
        Fixtures.Person member = sso.member();
        sso.configure(Map.of());
        sso.signInAs(new Browser(port), "subject-audited", member.email());
        Browser refusedBrowser = new Browser(port);
        String state = queryParam(sso.start(refusedBrowser, null).location().orElseThrow(), "state");
        refusedBrowser.get("/oidc/" + sso.slug() + "/callback?error=access_denied&state=" + state);

        List<JsonNode> successes = sso.successes();
        List<JsonNode> failures = sso.failures();

        assertThat(successes).hasSize(1);
        JsonNode success = successes.getFirst();
        assertThat(success.path("actor").path("kind").asString()).isEqualTo("USER");
        assertThat(success.path("actor").path("id").asString()).isEqualTo(member.id().value().toString());
        assertThat(success.path("target").path("id").asString()).isEqualTo(member.id().value().toString());
        assertThat(success.path("details").path("protocol").asString()).isEqualTo("oidc");
        assertThat(success.path("details").path("issuer").asString()).isEqualTo(sso.issuer());
        assertThat(success.path("details").path("session").asString()).isNotBlank();
        assertThat(failures).hasSize(1);
        assertThat(failures.getFirst().path("details").path("reason").asString()).isEqualTo("IDP_ERROR:access_denied");
        assertThat(failures.getFirst().path("details").path("protocol").asString()).isEqualTo("oidc");
    }

    @Test
    void neitherPagesNorTheAuditLogGiveAwayTheClientSecretTheCodeOrTheIdToken() {
        Fixtures.Person member = sso.member();
        String saved = sso.configure(Map.of()).body();
        List<Browser.Page> pages = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        // A sign-in that succeeds (the code is exchanged, the ID token read).
        Browser good = new Browser(port);
        sso.nextToken("subject-secretive", verified(member.email()));
        String callback = sso.toCallback(good, "/api/v1/me");
        codes.add(queryParam(callback, "code"));
        pages.add(good.get(callback));
        pages.add(good.get("/"));
        pages.add(good.get("/api/v1/me"));
        // One refused after the ID token was read, and one refused with a code in hand.
        Browser unverified = new Browser(port);
        sso.nextToken("subject-secretive-2", Map.of("email", member.email(), "email_verified", false));
        String refusedCallback = sso.toCallback(unverified, null);
        codes.add(queryParam(refusedCallback, "code"));
        pages.add(unverified.get(refusedCallback));
        sso.nextToken("subject-secretive-3", verified(member.email()));
        String strayCallback = sso.toCallback(new Browser(port), null);
        codes.add(queryParam(strayCallback, "code"));
        pages.add(new Browser(port).get(strayCallback));
        pages.add(new Browser(port).get("/signin?org=" + sso.slug()));
        assertThat(sso.successes()).hasSize(1);
        assertThat(sso.failureReasons()).contains("EMAIL_NOT_VERIFIED", "BROWSER_MISMATCH");

        String audit = sso.api.admin("/api/v1/audit-events/export").body();
        String settings = sso.api.admin("/api/v1/sso/oidc").body();

        assertThat(codes).allSatisfy(code -> assertThat(code).isNotBlank());
        for (String text : texts(pages, saved, audit, settings)) {
            assertThat(text).doesNotContain(OrgWithIdp.SECRET);
            assertThat(JWT.matcher(text).find()).as("a JWT in %s", text).isFalse();
            for (String code : codes) {
                assertThat(text).doesNotContain(code);
            }
        }
    }

    private static List<String> texts(List<Browser.Page> pages, String... more) {
        List<String> texts = new ArrayList<>(List.of(more));
        for (Browser.Page page : pages) {
            texts.add(page.body());
            texts.add(page.headers().map().toString());
        }
        return texts;
    }

    // ---- helpers --------------------------------------------------------------------------

    private Browser.Page withCookie(String cookie) {
        return new Browser(port).get("/api/v1/me", Map.of("Cookie", cookie));
    }

    static Map<String, Object> verified(String email) {
        return Map.of("email", email, "email_verified", true, "name", "Test Person");
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String queryParam(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + Pattern.quote(name) + "=([^&]*)").matcher(URI.create(url).getRawQuery() == null
                ? url : "?" + URI.create(url).getRawQuery());
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + url);
        }
        return java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    /**
     * A test org that signs in through its own mock OIDC provider: its settings, the provider's
     * next tokens, a browser's way through sign-in, and what the org's admin sees afterwards.
     * Shared with {@link BrowserSessionTest}.
     */
    static final class OrgWithIdp implements AutoCloseable {
        static final String CLIENT_ID = "warden-attacks-test";
        static final String SECRET = "attacks-test-client-secret-5b1e0c7d9a";

        final AdminApi api;
        private final Fixtures fixtures;
        private final MockOAuth2Server idp;
        private final Fixtures.TestOrg org;

        OrgWithIdp(Fixtures fixtures, Api api) {
            this.fixtures = fixtures;
            this.idp = new MockOAuth2Server();
            this.idp.start(0);
            this.org = fixtures.org();
            this.api = new AdminApi(api, org.admin().key());
        }

        String slug() {
            return org.slug();
        }

        Fixtures.TestOrg org() {
            return org;
        }

        String issuer() {
            return idp.issuerUrl(org.slug()).toString().replaceAll("/$", "");
        }

        Fixtures.Person member() {
            return fixtures.person(org, OrgRole.MEMBER);
        }

        Fixtures.Person person(OrgRole role) {
            return fixtures.person(org, role);
        }

        /** The org's OIDC settings: this provider, plus {@code extra}. */
        Api.Response configure(Map<String, Object> extra) {
            Map<String, Object> oidc = new LinkedHashMap<>();
            oidc.put("issuer", issuer());
            oidc.put("client_id", CLIENT_ID);
            oidc.put("client_secret", SECRET);
            oidc.putAll(extra);
            Api.Response saved = api.api.put(api.key, "/api/v1/sso/oidc", oidc);
            assertThat(saved.status()).as(saved.body()).isEqualTo(200);
            return saved;
        }

        /** The provider's next ID token says this; queue one only for a sign-in that gets to the token exchange. */
        void nextToken(String subject, Map<String, Object> claims) {
            idp.enqueueCallback(new DefaultOAuth2TokenCallback(org.slug(), subject, "JWT", List.of(CLIENT_ID), claims, 300));
        }

        /** The sign-in page with this org: the redirect to the provider. */
        Browser.Page start(Browser browser, String returnTo) {
            return browser.get("/signin?org=" + org.slug() + (returnTo == null ? "" : "&return_to=" + encode(returnTo)));
        }

        /** Sign-in page and provider: the callback URL the provider sends the browser to (not yet opened). */
        String toCallback(Browser browser, String returnTo) {
            Browser.Page start = start(browser, returnTo);
            assertThat(start.status()).as(start.body()).isEqualTo(303);
            assertThat(start.location()).get().asString().startsWith(issuer() + "/authorize?");
            Browser.Page atIdp = browser.get(start.location().orElseThrow());
            assertThat(atIdp.status()).isEqualTo(302);
            String callback = atIdp.location().orElseThrow();
            assertThat(callback).startsWith(Browser.PUBLIC_URL + "/oidc/" + org.slug() + "/callback?");
            return callback;
        }

        /** The whole way: the callback's answer, a redirect into Warden or a refusal. */
        Browser.Page signIn(Browser browser, String returnTo) {
            return browser.get(toCallback(browser, returnTo));
        }

        /** Signs a person in with a verified email; the browser then holds their session. */
        void signInAs(Browser browser, String subject, String email) {
            nextToken(subject, verified(email));
            Browser.Page done = signIn(browser, null);
            assertThat(done.status()).as(done.body()).isEqualTo(303);
            assertThat(browser.cookies()).containsKey("warden_session");
        }

        void setDisabled(Fixtures.Person person, boolean disabled) {
            Api.Response changed = api.api.patch(api.key, "/api/v1/users/" + person.id().value(), Map.of("disabled", disabled));
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        }

        List<String> userEmails() {
            List<String> emails = new ArrayList<>();
            api.admin("/api/v1/users").json().forEach(u -> emails.add(u.path("email").asString()));
            return emails;
        }

        Optional<JsonNode> user(String email) {
            for (JsonNode u : api.admin("/api/v1/users").json()) {
                if (u.path("email").asString().equals(email)) {
                    return Optional.of(u);
                }
            }
            return Optional.empty();
        }

        /** The org's {@code auth.sign_in} events, newest first. */
        List<JsonNode> signInEvents() {
            List<JsonNode> events = new ArrayList<>();
            api.admin("/api/v1/audit-events?action=auth.sign_in&limit=1000").json().path("events").forEach(events::add);
            return events;
        }

        List<JsonNode> successes() {
            return signInEvents().stream().filter(e -> e.path("outcome").asString().equals("SUCCESS")).toList();
        }

        List<JsonNode> failures() {
            return signInEvents().stream().filter(e -> e.path("outcome").asString().equals("FAILURE")).toList();
        }

        List<String> failureReasons() {
            return failures().stream().map(e -> e.path("details").path("reason").asString()).toList();
        }

        @Override
        public void close() {
            idp.shutdown();
        }
    }

    /** The org admin's API key and the API. */
    record AdminApi(Api api, String key) {
        Api.Response admin(String path) {
            Api.Response response = api.get(key, path);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            return response;
        }

        JsonNode json(Browser.Page page) {
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            return new Api.Response(page.status(), "", page.body(), page.headers()).json();
        }
    }
}
