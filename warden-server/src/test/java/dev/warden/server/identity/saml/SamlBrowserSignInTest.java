package dev.warden.server.identity.saml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.access.OrgRole;
import dev.warden.server.support.Api;
import dev.warden.server.support.ApiTest;
import dev.warden.server.support.Browser;
import dev.warden.server.support.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SAML sign-in over HTTP, end to end: the sign-in page's AuthnRequest, a response from a test IdP
 * posted to the org's ACS, the session cookie, provisioning and the audit log. Most tests take the
 * attacker's side: replay, login CSRF, unsolicited and misdirected responses, expiry, MFA and domain
 * policy. Warden's public URL in the tests is {@code http://localhost:8080}, so each org's SP entity
 * id and ACS are derived from it. Every test makes its own org.
 */
class SamlBrowserSignInTest extends ApiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

    @AfterEach
    void putTheClockBack() {
        clock.reset();
    }

    // ---------------------------------------------------------------- the person signs in

    @Test
    void aValidSolicitedResponseSignsThePersonIn() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of());
        Browser browser = new Browser(port);

        Started started = start(browser, org.slug(), "/reports/weekly");
        Browser.Page done = post(browser, org.slug(), signed(answer(org.slug(), started.requestId(), person.email())));

        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(done.location()).contains("/reports/weekly");
        assertThat(browser.lastSetCookie("warden_session")).get().asString()
                .contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
        assertThat(browser.lastSetCookie("warden_signin")).get().asString().contains("Max-Age=0");
        JsonNode me = me(browser);
        assertThat(me.get("user_id").asString()).isEqualTo(person.id().value().toString());
        assertThat(me.get("actor_kind").asString()).isEqualTo("USER");
        assertThat(me.get("org").get("slug").asString()).isEqualTo(org.slug());
        Browser.Page home = browser.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains(person.email()).contains(org.slug());
        assertThat(new Browser(port).get("/api/v1/me").status()).isEqualTo(401);

        assertThat(outcomes(org)).containsExactly("SUCCESS");
        JsonNode event = signInEvents(org).getFirst();
        assertThat(event.get("actor").get("kind").asString()).isEqualTo("USER");
        assertThat(event.get("actor").get("id").asString()).isEqualTo(person.id().value().toString());
        assertThat(event.get("target").get("id").asString()).isEqualTo(person.id().value().toString());
        assertThat(event.get("details").get("protocol").asString()).isEqualTo("saml");
        assertThat(event.get("details").get("issuer").asString()).isEqualTo(TestIdp.IDP_ENTITY);
    }

    @Test
    void theAuthnRequestNamesThisOrgsServiceProvider() {
        Fixtures.TestOrg org = fixtures.org();
        configureSaml(org, Map.of());

        Started started = start(new Browser(port), org.slug(), null);

        Element request = started.authnRequest().getDocumentElement();
        assertThat(request.getAttribute("AssertionConsumerServiceURL")).isEqualTo(acs(org.slug()));
        assertThat(request.getAttribute("Destination")).isEqualTo(TestIdp.IDP_SSO.toString());
        assertThat(request.getAttribute("ProtocolBinding")).isEqualTo(AuthnRequests.HTTP_POST_BINDING);
        assertThat(TestIdp.first(started.authnRequest(), TestIdp.SAML, "Issuer").getTextContent())
                .isEqualTo(spEntity(org.slug()));
        assertThat(started.requestId()).startsWith("_").hasSizeGreaterThan(32);
        assertThat(TestIdp.first(started.authnRequest(), TestIdp.SAMLP, "RequestedAuthnContext")).isNull();
    }

    @Test
    void signingInAgainEndsTheBrowsersEarlierSession() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of());
        Browser browser = new Browser(port);
        assertThat(signIn(browser, org, person.email(), s -> {}).status()).isEqualTo(303);
        String earlier = browser.cookies().get("warden_session");

        assertThat(signIn(browser, org, person.email(), s -> {}).status()).isEqualTo(303);

        assertThat(browser.cookies().get("warden_session")).isNotEqualTo(earlier);
        assertThat(me(browser).get("user_id").asString()).isEqualTo(person.id().value().toString());
        Browser.Page withEarlier = new Browser(port).get("/api/v1/me", Map.of("Cookie", "warden_session=" + earlier));
        assertThat(withEarlier.status()).isEqualTo(401);
    }

    @Test
    void aSignInEndsTheEarlierSessionEvenWhenTheAcsPostCarriesNoSessionCookie() {
        // A real browser sends no SameSite=Lax cookie with the IdP's cross-site POST: the earlier
        // session is known from the sign-in's start (same-origin) instead.
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of());
        Browser browser = new Browser(port);
        assertThat(signIn(browser, org, person.email(), s -> {}).status()).isEqualTo(303);
        String earlier = browser.cookies().get("warden_session");

        Started started = start(browser, org.slug(), null);
        browser.cookies().remove("warden_session");
        browser.cookies().remove("warden_csrf");
        Browser.Page done = post(browser, org.slug(), signed(answer(org.slug(), started.requestId(), person.email())));

        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(browser.cookies().get("warden_session")).isNotEqualTo(earlier).isNotNull();
        assertThat(new Browser(port).get("/api/v1/me", Map.of("Cookie", "warden_session=" + earlier)).status())
                .isEqualTo(401);
        assertThat(me(browser).get("user_id").asString()).isEqualTo(person.id().value().toString());
    }

    @Test
    void theSessionEndsNoLaterThanTheIdpSays() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of());
        Browser browser = new Browser(port);

        Browser.Page done = signIn(browser, org, person.email(),
                s -> s.sessionNotOnOrAfter = s.issueInstant.plus(Duration.ofMinutes(30)));

        assertThat(done.status()).as(done.body()).isEqualTo(303);
        clock.advance(Duration.ofMinutes(29));
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(2));
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(401);
    }

    // ---------------------------------------------------------------- replay, login CSRF, unsolicited, misdirected

    @Test
    void theSameResponsePostedAgainIsRefusedEvenAfterAFreshSignInStarted() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of());
        Browser browser = new Browser(port);
        Started first = start(browser, org.slug(), null);
        String response = signed(answer(org.slug(), first.requestId(), person.email()));
        assertThat(post(browser, org.slug(), response).status()).isEqualTo(303);
        String session = browser.cookies().get("warden_session");

        start(browser, org.slug(), null);
        Browser.Page replay = post(browser, org.slug(), response);

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.body()).contains("does not match a sign-in in progress");
        assertThat(setCookies(replay)).noneMatch(c -> c.startsWith("warden_session="));
        assertThat(browser.cookies().get("warden_session")).isEqualTo(session);
        assertThat(outcomes(org)).containsExactly("SUCCESS", "FAILURE:UNKNOWN_REQUEST");
    }

    @Test
    void anAssertionIsAcceptedOnceEvenWhenUnsolicitedSignInIsAllowed() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of("allow_unsolicited", true));
        TestIdp.Spec spec = answer(org.slug(), null, person.email());
        String response = signed(spec);

        Browser.Page first = post(new Browser(port), org.slug(), response);
        Browser.Page again = post(new Browser(port), org.slug(), response);

        assertThat(first.status()).as(first.body()).isEqualTo(303);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body()).contains("already used");
        assertThat(setCookies(again)).noneMatch(c -> c.startsWith("warden_session="));
        assertThat(outcomes(org)).containsExactly("SUCCESS", "FAILURE:REPLAY");
    }

    @Test
    void aResponsePostedFromABrowserWithoutTheSignInCookieIsRefusedAndBurnsThePendingSignIn() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person attacker = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of());
        Browser attackersBrowser = new Browser(port);
        Started started = start(attackersBrowser, org.slug(), null);
        String attackersResponse = signed(answer(org.slug(), started.requestId(), attacker.email()));

        Browser victim = new Browser(port);
        Browser.Page forced = post(victim, org.slug(), attackersResponse);

        assertThat(forced.status()).isEqualTo(400);
        assertThat(forced.body()).contains("Sign-in did not work");
        assertThat(victim.cookies()).doesNotContainKey("warden_session");
        assertThat(victim.get("/api/v1/me").status()).isEqualTo(401);

        Browser.Page later = post(attackersBrowser, org.slug(), attackersResponse);
        assertThat(later.status()).isEqualTo(400);
        assertThat(attackersBrowser.cookies()).doesNotContainKey("warden_session");
        assertThat(outcomes(org)).containsExactly("FAILURE:BROWSER_MISMATCH", "FAILURE:UNKNOWN_REQUEST");
    }

    @Test
    void aResponsePostedWithAnotherBrowsersSignInCookieIsRefused() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person attacker = fixtures.person(org, OrgRole.MEMBER);
        Fixtures.Person victimPerson = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of());
        Browser attackersBrowser = new Browser(port);
        Started attackers = start(attackersBrowser, org.slug(), null);
        String attackersResponse = signed(answer(org.slug(), attackers.requestId(), attacker.email()));
        Browser victim = new Browser(port);
        Started victims = start(victim, org.slug(), null);
        String victimsBinding = victim.cookies().get("warden_signin");
        assertThat(victimsBinding).isNotEqualTo(attackersBrowser.cookies().get("warden_signin"));

        Browser.Page forced = post(victim, org.slug(), attackersResponse);

        assertThat(forced.status()).isEqualTo(400);
        assertThat(forced.body()).contains("Sign-in did not work");
        assertThat(victim.cookies()).doesNotContainKey("warden_session");
        assertThat(victim.get("/api/v1/me").status()).isEqualTo(401);
        // The attacker's pending sign-in is gone.
        assertThat(post(attackersBrowser, org.slug(), attackersResponse).status()).isEqualTo(400);
        assertThat(attackersBrowser.cookies()).doesNotContainKey("warden_session");
        // The victim's own was not touched: with its binding, the victim's own response still signs them in.
        victim.cookies().put("warden_signin", victimsBinding);
        Browser.Page own = post(victim, org.slug(), signed(answer(org.slug(), victims.requestId(), victimPerson.email())));
        assertThat(own.status()).as(own.body()).isEqualTo(303);
        assertThat(me(victim).get("user_id").asString()).isEqualTo(victimPerson.id().value().toString());
        assertThat(outcomes(org)).containsExactly("FAILURE:BROWSER_MISMATCH", "FAILURE:UNKNOWN_REQUEST", "SUCCESS");
    }

    @Test
    void anUnsolicitedResponseIsRefusedByDefault() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of());
        Browser browser = new Browser(port);
        start(browser, org.slug(), null);

        Browser.Page page = post(browser, org.slug(), signed(answer(org.slug(), null, person.email())));

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("Sign-in must start from Warden");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(outcomes(org)).containsExactly("FAILURE:UNSOLICITED");
    }

    @Test
    void aResponseMadeForOneOrgIsRefusedAtAnotherOrgsAcsAndDoesNotBurnTheSignIn() {
        Fixtures.TestOrg a = fixtures.org();
        Fixtures.TestOrg b = fixtures.org();
        Fixtures.Person inA = fixtures.person(a, OrgRole.MEMBER);
        configureSaml(a, Map.of());
        configureSaml(b, Map.of("jit_provisioning", true));
        Browser browser = new Browser(port);
        Started started = start(browser, a.slug(), null);
        String binding = browser.cookies().get("warden_signin");
        String forA = signed(answer(a.slug(), started.requestId(), inA.email()));

        Browser.Page atB = post(browser, b.slug(), forA);

        assertThat(atB.status()).isEqualTo(400);
        assertThat(atB.body()).contains("sent to another address");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(outcomes(b)).containsExactly("FAILURE:WRONG_DESTINATION");
        assertThat(outcomes(a)).isEmpty();
        assertThat(emails(b)).doesNotContain(inA.email());

        // Nothing was consumed: the same response still completes the sign-in at A's own ACS.
        browser.cookies().put("warden_signin", binding);
        Browser.Page atA = post(browser, a.slug(), forA);
        assertThat(atA.status()).as(atA.body()).isEqualTo(303);
        assertThat(me(browser).get("org").get("slug").asString()).isEqualTo(a.slug());
    }

    @Test
    void aResponseForAnotherOrgsRequestIsRefusedEvenWhenMadeOutForThisOrg() {
        Fixtures.TestOrg a = fixtures.org();
        Fixtures.TestOrg b = fixtures.org();
        Fixtures.Person inB = fixtures.person(b, OrgRole.MEMBER);
        configureSaml(a, Map.of());
        configureSaml(b, Map.of());
        Browser browser = new Browser(port);
        Started atA = start(browser, a.slug(), null);

        // Addressed to B in every way, but answering the request A's sign-in page made.
        Browser.Page page = post(browser, b.slug(), signed(answer(b.slug(), atA.requestId(), inB.email())));

        assertThat(page.status()).isEqualTo(400);
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(outcomes(b)).containsExactly("FAILURE:UNKNOWN_REQUEST");
    }

    @Test
    void aResponseSignedWithAKeyTheOrgDoesNotTrustIsRefused() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of());
        Browser browser = new Browser(port);
        Started started = start(browser, org.slug(), null);
        Document forged = TestIdp.document(answer(org.slug(), started.requestId(), person.email()));
        TestIdp.sign(TestIdp.assertion(forged), TestKeys.ATTACKER);

        Browser.Page page = post(browser, org.slug(), TestIdp.encode(forged));

        assertThat(page.status()).isEqualTo(400);
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(outcomes(org)).containsExactly("FAILURE:SIGNATURE_INVALID");
    }

    @Test
    void garbageIsRefusedAndAFloodOfItCannotFloodTheAuditLog() {
        Fixtures.TestOrg org = fixtures.org();
        configureSaml(org, Map.of());
        // Start at the beginning of a minute of the server's clock, so that the posts below share one.
        clock.advance(Duration.ofMillis(60_000 - clock.millis() % 60_000 + 100));
        Browser browser = new Browser(port);
        String garbage = Base64.getEncoder().encodeToString("<not-saml/>".getBytes(UTF_8));

        for (int i = 0; i < 65; i++) {
            assertThat(post(browser, org.slug(), garbage).status()).isEqualTo(400);
        }
        assertThat(outcomes(org)).hasSize(60).containsOnly("FAILURE:MALFORMED");

        clock.advance(Duration.ofMinutes(1));
        assertThat(post(browser, org.slug(), garbage).status()).isEqualTo(400);
        List<JsonNode> events = signInEvents(org);
        assertThat(events).hasSize(61);
        assertThat(events.getFirst().get("details").get("earlier_failures_not_recorded").asLong()).isEqualTo(5);
    }

    @Test
    void anExpiredResponseIsRefused() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of());
        Browser browser = new Browser(port);
        Started started = start(browser, org.slug(), null);
        String response = signed(answer(org.slug(), started.requestId(), person.email()));

        // Valid for five minutes, two of skew: eight minutes later it is late, the sign-in itself is not (ten).
        clock.advance(Duration.ofMinutes(8));
        Browser.Page page = post(browser, org.slug(), response);

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("expired");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(outcomes(org)).containsExactly("FAILURE:EXPIRED");
    }

    // ---------------------------------------------------------------- MFA and domains

    @Test
    void withMfaRequiredAResponseWithAnotherAuthnContextIsRefusedWithA403() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of("required_authn_context_class_refs", List.of(TestIdp.MFA_CLASS)));
        Browser browser = new Browser(port);

        Started started = start(browser, org.slug(), null);
        Element requested = TestIdp.first(started.authnRequest(), TestIdp.SAMLP, "RequestedAuthnContext");
        assertThat(requested).isNotNull();
        assertThat(requested.getTextContent()).isEqualTo(TestIdp.MFA_CLASS);
        TestIdp.Spec password = answer(org.slug(), started.requestId(), person.email());
        password.classRef = TestIdp.PASSWORD_CLASS;
        Browser.Page refused = post(browser, org.slug(), signed(password));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("requires multi-factor authentication");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");

        Started again = start(browser, org.slug(), null);
        TestIdp.Spec mfa = answer(org.slug(), again.requestId(), person.email());
        mfa.classRef = TestIdp.MFA_CLASS;
        assertThat(post(browser, org.slug(), signed(mfa)).status()).isEqualTo(303);
        assertThat(outcomes(org)).containsExactly("FAILURE:MFA_REQUIRED", "SUCCESS");
    }

    @Test
    void aPersonOutsideTheAllowedEmailDomainsIsRefused() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person outside = fixtures.person(org, OrgRole.MEMBER); // @<slug>.test
        String allowed = "allowed-" + org.slug() + ".test";
        configureSaml(org, Map.of("allowed_email_domains", List.of(allowed), "jit_provisioning", true));
        Browser browser = new Browser(port);

        Browser.Page refused = signIn(browser, org, outside.email(), s -> {});
        String newcomer = "new-person@" + allowed;
        Browser.Page admitted = signIn(new Browser(port), org, newcomer, s -> {});
        Browser.Page outsiderJit = signIn(new Browser(port), org, "stranger@elsewhere.test", s -> {});

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("domain is not allowed");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(admitted.status()).isEqualTo(303);
        assertThat(outsiderJit.status()).isEqualTo(403);
        assertThat(emails(org)).contains(newcomer).doesNotContain("stranger@elsewhere.test");
        assertThat(outcomes(org)).containsExactly("FAILURE:DOMAIN_NOT_ALLOWED", "SUCCESS", "FAILURE:DOMAIN_NOT_ALLOWED");
    }

    // ---------------------------------------------------------------- provisioning

    @Test
    void withJustInTimeProvisioningOffAnUnknownPersonIsRefusedAndNotCreated() {
        Fixtures.TestOrg org = fixtures.org();
        configureSaml(org, Map.of("jit_provisioning", false));
        String unknown = "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@" + org.slug() + ".test";
        Browser browser = new Browser(port);

        Browser.Page page = signIn(browser, org, unknown, s -> {});

        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("has not given you access");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(emails(org)).doesNotContain(unknown);
        assertThat(outcomes(org)).containsExactly("FAILURE:NOT_PROVISIONED");
        assertThat(signInEvents(org).getFirst().get("details").get("email").asString()).isEqualTo(unknown);
    }

    @Test
    void withJustInTimeProvisioningOnAnUnknownPersonBecomesAMember() {
        Fixtures.TestOrg org = fixtures.org();
        configureSaml(org, Map.of("jit_provisioning", true, "attribute_mapping", Map.of("displayName", "display_name")));
        String newcomer = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@" + org.slug() + ".test";
        Browser browser = new Browser(port);

        Browser.Page page = signIn(browser, org, newcomer,
                s -> s.attributes.put("displayName", List.of("Nia <b>Newcomer</b>")));

        assertThat(page.status()).as(page.body()).isEqualTo(303);
        JsonNode user = user(org, newcomer);
        assertThat(user.get("org_role").asString()).isEqualTo("MEMBER");
        assertThat(user.get("display_name").asString()).isEqualTo("Nia <b>Newcomer</b>");
        assertThat(browser.get("/").body()).contains("Nia &lt;b&gt;Newcomer&lt;/b&gt;").doesNotContain("<b>Newcomer");
        assertThat(user.get("disabled").asBoolean()).isFalse();
        JsonNode me = me(browser);
        assertThat(me.get("user_id").asString()).isEqualTo(user.get("id").asString());
        assertThat(me.get("org_role").asString()).isEqualTo("MEMBER");
        assertThat(outcomes(org)).containsExactly("SUCCESS");
        assertThat(signInEvents(org).getFirst().get("details").get("provisioned").asBoolean()).isTrue();
    }

    @Test
    void aDisabledPersonIsRefused() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of("jit_provisioning", true));
        Api.Response disabled = api().patch(org.admin().key(), "/api/v1/users/" + person.id().value(),
                Map.of("disabled", true));
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        Browser browser = new Browser(port);

        Browser.Page page = signIn(browser, org, person.email(), s -> {});

        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("disabled");
        assertThat(browser.cookies()).doesNotContainKey("warden_session");
        assertThat(outcomes(org)).containsExactly("FAILURE:USER_DISABLED");
    }

    @Test
    void aMappedAttributeFollowsTheIdpAndAnUnmappedOneStaysTheAdmins() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        define(org, "department");
        define(org, "region");
        configureSaml(org, Map.of("attribute_mapping", Map.of("urn:oid:2.5.4.11", "department")));
        setValues(org, person, "department", List.of("Set by admin"));
        setValues(org, person, "region", List.of("EU"));

        Browser.Page first = signIn(new Browser(port), org, person.email(),
                s -> s.attributes.put("urn:oid:2.5.4.11", List.of("Finance & Control")));

        assertThat(first.status()).as(first.body()).isEqualTo(303);
        JsonNode own = ownValues(org, person);
        assertThat(values(own, "department")).containsExactly("Finance & Control");
        assertThat(values(own, "region")).containsExactly("EU");
        assertThat(strings(signInEvents(org).getFirst().get("details").get("attributes_set"))).containsExactly("department");

        // The IdP no longer sends it: the entitlement is withdrawn here too; the admin's own attribute stays.
        Browser.Page second = signIn(new Browser(port), org, person.email(), s -> {});

        assertThat(second.status()).isEqualTo(303);
        JsonNode after = ownValues(org, person);
        assertThat(values(after, "department")).isEmpty();
        assertThat(values(after, "region")).containsExactly("EU");
        assertThat(outcomes(org)).containsExactly("SUCCESS", "SUCCESS");
    }

    @Test
    void groupsFollowTheIdpButNeverRemoveAnAdminsMembershipAndUnknownNamesAreIgnored() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of("attribute_mapping", Map.of("memberOf", "groups")));
        String analysts = group(org, "analysts", List.of());
        String finance = group(org, "finance", List.of());
        String ops = group(org, "ops", List.of(person.id().value().toString()));
        String untouched = group(org, "untouched", List.of());
        int groupsBefore = groupNames(org).size();

        Browser.Page first = signIn(new Browser(port), org, person.email(),
                s -> s.attributes.put("memberOf", List.of("analysts", "finance", "ops", "no-such-group")));

        assertThat(first.status()).as(first.body()).isEqualTo(303);
        assertThat(memberOf(org, analysts, person)).isTrue();
        assertThat(memberOf(org, finance, person)).isTrue();
        assertThat(memberOf(org, ops, person)).isTrue();
        assertThat(memberOf(org, untouched, person)).isFalse();
        assertThat(groupNames(org)).hasSize(groupsBefore).doesNotContain("no-such-group");
        assertThat(strings(signInEvents(org).getFirst().get("details").get("groups_joined")))
                .containsExactlyInAnyOrder("analysts", "finance");

        Browser.Page second = signIn(new Browser(port), org, person.email(),
                s -> s.attributes.put("memberOf", List.of("analysts")));

        assertThat(second.status()).isEqualTo(303);
        assertThat(memberOf(org, analysts, person)).isTrue();
        assertThat(memberOf(org, finance, person)).isFalse();
        assertThat(memberOf(org, ops, person)).as("the admin's membership").isTrue();

        Browser.Page third = signIn(new Browser(port), org, person.email(), s -> {});

        assertThat(third.status()).isEqualTo(303);
        assertThat(memberOf(org, analysts, person)).isFalse();
        assertThat(memberOf(org, ops, person)).as("the admin's membership").isTrue();
        assertThat(outcomes(org)).containsExactly("SUCCESS", "SUCCESS", "SUCCESS");
    }

    @Test
    void aTransientNameIdWithAnEmailSignsInTheSamePersonEachTime() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of("jit_provisioning", true, "attribute_mapping", Map.of("mail", "email")));
        int people = emails(org).size();
        Consumer<TestIdp.Spec> transientId = s -> {
            s.nameIdFormat = TRANSIENT;
            s.nameId = "_transient-" + UUID.randomUUID();
            s.attributes.put("mail", List.of(person.email()));
        };

        Browser first = new Browser(port);
        Browser second = new Browser(port);
        assertThat(signIn(first, org, "ignored", transientId).status()).isEqualTo(303);
        assertThat(signIn(second, org, "ignored", transientId).status()).isEqualTo(303);

        assertThat(me(first).get("user_id").asString()).isEqualTo(person.id().value().toString());
        assertThat(me(second).get("user_id").asString()).isEqualTo(person.id().value().toString());
        assertThat(emails(org)).hasSize(people);
        assertThat(outcomes(org)).containsExactly("SUCCESS", "SUCCESS");
    }

    // ---------------------------------------------------------------- what is written down

    @Test
    void noPageAndNoAuditEventHoldsTheResponseOrTheSigningKey() {
        Fixtures.TestOrg org = fixtures.org();
        Fixtures.Person person = fixtures.person(org, OrgRole.MEMBER);
        configureSaml(org, Map.of("required_authn_context_class_refs", List.of(TestIdp.MFA_CLASS)));
        List<Browser.Page> pages = new ArrayList<>();
        List<String> responses = new ArrayList<>();

        Browser browser = new Browser(port);
        Started s1 = start(browser, org.slug(), null);
        TestIdp.Spec ok = answer(org.slug(), s1.requestId(), person.email());
        ok.classRef = TestIdp.MFA_CLASS;
        responses.add(signed(ok));
        pages.add(post(browser, org.slug(), responses.getLast()));
        pages.add(post(browser, org.slug(), responses.getLast())); // replay
        pages.add(browser.get("/"));
        Started s2 = start(browser, org.slug(), null);
        responses.add(signed(answer(org.slug(), s2.requestId(), person.email()))); // no MFA
        pages.add(post(browser, org.slug(), responses.getLast()));
        Started s3 = start(browser, org.slug(), null);
        TestIdp.Spec forgedSpec = answer(org.slug(), s3.requestId(), person.email());
        forgedSpec.classRef = TestIdp.MFA_CLASS;
        Document forged = TestIdp.document(forgedSpec);
        TestIdp.sign(TestIdp.assertion(forged), TestKeys.ATTACKER);
        responses.add(TestIdp.encode(forged));
        pages.add(post(browser, org.slug(), responses.getLast()));
        Started s4 = start(browser, org.slug(), null);
        TestIdp.Spec elsewhere = answer(org.slug(), s4.requestId(), person.email());
        elsewhere.classRef = TestIdp.MFA_CLASS;
        responses.add(signed(elsewhere));
        pages.add(post(new Browser(port), org.slug(), responses.getLast())); // another browser

        assertThat(pages.stream().map(Browser.Page::status).toList()).containsExactly(303, 400, 200, 403, 400, 400);
        List<String> secrets = new ArrayList<>();
        for (String response : responses) {
            secrets.add(middle(response));
            secrets.add(middle(URLEncoder.encode(response, UTF_8)));
            Document doc = TestIdp.parse(new String(Base64.getDecoder().decode(response), UTF_8));
            secrets.add(middle(TestIdp.first(doc, TestIdp.DS, "SignatureValue").getTextContent().replaceAll("\\s", "")));
        }
        secrets.add(middle(Base64.getEncoder().encodeToString(TestKeys.IDP.privateKey().getEncoded())));
        secrets.add(middle(Base64.getEncoder().encodeToString(TestKeys.ATTACKER.privateKey().getEncoded())));
        List<String> written = new ArrayList<>();
        for (Browser.Page page : pages) {
            written.add(page.body());
            written.add(page.headers().map().toString());
        }
        Api.Response list = api().get(org.admin().key(), "/api/v1/audit-events?limit=1000");
        Api.Response export = api().get(org.admin().key(), "/api/v1/audit-events/export");
        assertThat(list.status()).isEqualTo(200);
        assertThat(export.status()).isEqualTo(200);
        written.add(list.body());
        written.add(export.body());

        for (String text : written) {
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
            assertThat(text).doesNotContain("<saml:Assertion").doesNotContain("SignatureValue");
        }
        assertThat(outcomes(org)).containsExactly("SUCCESS", "FAILURE:UNKNOWN_REQUEST", "FAILURE:MFA_REQUIRED",
                "FAILURE:SIGNATURE_INVALID", "FAILURE:BROWSER_MISMATCH");
    }

    // ---------------------------------------------------------------- helpers

    record Started(String requestId, Document authnRequest) {}

    static String acs(String slug) {
        return Browser.PUBLIC_URL + "/saml/" + slug + "/acs";
    }

    static String spEntity(String slug) {
        return Browser.PUBLIC_URL + "/saml/" + slug + "/metadata";
    }

    /** The org trusts TestIdp's entity id and key; {@code extra} adds or overrides settings (snake_case). */
    void configureSaml(Fixtures.TestOrg org, Map<String, Object> extra) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("idp_entity_id", TestIdp.IDP_ENTITY);
        config.put("idp_sso_url", TestIdp.IDP_SSO.toString());
        config.put("idp_certificates", List.of(pem(TestKeys.IDP.certificate())));
        config.putAll(extra);
        Api.Response saved = api().put(org.admin().key(), "/api/v1/sso/saml", config);
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().get("acs_url").asString()).isEqualTo(acs(org.slug()));
        assertThat(saved.json().get("sp_entity_id").asString()).isEqualTo(spEntity(org.slug()));
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sign-in page: a redirect to the IdP with the AuthnRequest (raw DEFLATE, base64) in SAMLRequest. */
    Started start(Browser browser, String slug, String returnTo) {
        Browser.Page page = browser.get("/signin?org=" + slug
                + (returnTo == null ? "" : "&return_to=" + URLEncoder.encode(returnTo, UTF_8)));
        assertThat(page.status()).as(page.body()).isEqualTo(303);
        String location = page.location().orElseThrow();
        assertThat(location).startsWith(TestIdp.IDP_SSO + "?SAMLRequest=");
        assertThat(browser.cookies()).containsKey("warden_signin");
        String encoded = queryParameter(URI.create(location), "SAMLRequest");
        Document request = TestIdp.parse(inflate(Base64.getDecoder().decode(encoded)));
        Element root = request.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(TestIdp.SAMLP);
        assertThat(root.getLocalName()).isEqualTo("AuthnRequest");
        return new Started(root.getAttribute("ID"), request);
    }

    private static String queryParameter(URI uri, String name) {
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + uri);
    }

    private static String inflate(byte[] deflated) {
        try (var in = new InflaterInputStream(new ByteArrayInputStream(deflated), new Inflater(true))) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the org's IdP answers to {@code requestId} (null: unsolicited) about {@code nameId}: addressed to
     * the org's ACS and SP entity id, valid from now (the server's clock) for five minutes, no attributes.
     */
    TestIdp.Spec answer(String slug, String requestId, String nameId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        TestIdp.Spec s = new TestIdp.Spec();
        s.destination = acs(slug);
        s.recipient = acs(slug);
        s.audience = spEntity(slug);
        s.inResponseTo = requestId;
        s.confirmationInResponseTo = requestId;
        s.nameId = nameId;
        s.issueInstant = now;
        s.notBefore = now.minusSeconds(60);
        s.notOnOrAfter = now.plusSeconds(300);
        s.confirmationNotOnOrAfter = now.plusSeconds(300);
        s.attributes.clear();
        return s;
    }

    static String signed(TestIdp.Spec spec) {
        return TestIdp.encode(TestIdp.signedAssertion(spec));
    }

    static Browser.Page post(Browser browser, String slug, String samlResponse) {
        return browser.postForm("/saml/" + slug + "/acs", Map.of("SAMLResponse", samlResponse));
    }

    /** A whole solicited sign-in in {@code browser}: the ACS's answer. */
    Browser.Page signIn(Browser browser, Fixtures.TestOrg org, String nameId, Consumer<TestIdp.Spec> change) {
        Started started = start(browser, org.slug(), null);
        TestIdp.Spec spec = answer(org.slug(), started.requestId(), nameId);
        change.accept(spec);
        return post(browser, org.slug(), signed(spec));
    }

    static List<String> setCookies(Browser.Page page) {
        return page.headers().allValues("Set-Cookie");
    }

    static JsonNode me(Browser browser) {
        Browser.Page page = browser.get("/api/v1/me");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return JSON.readTree(page.body());
    }

    /** The org's auth.sign_in events, newest first. */
    List<JsonNode> signInEvents(Fixtures.TestOrg org) {
        Api.Response response = api().get(org.admin().key(), "/api/v1/audit-events?action=auth.sign_in&limit=1000");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        response.json().get("events").forEach(events::add);
        return events;
    }

    /** Each auth.sign_in event, oldest first: SUCCESS, or outcome:reason. */
    List<String> outcomes(Fixtures.TestOrg org) {
        List<String> out = new ArrayList<>();
        for (JsonNode event : signInEvents(org).reversed()) {
            String outcome = event.get("outcome").asString();
            JsonNode details = event.get("details");
            if (!outcome.equals("SUCCESS")) {
                assertThat(details.get("protocol").asString()).isEqualTo("saml");
                assertThat(event.get("actor").get("kind").asString()).isEqualTo("ANONYMOUS");
            }
            out.add(details.has("reason") ? outcome + ":" + details.get("reason").asString() : outcome);
        }
        return out;
    }

    JsonNode users(Fixtures.TestOrg org) {
        Api.Response response = api().get(org.admin().key(), "/api/v1/users");
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    List<String> emails(Fixtures.TestOrg org) {
        List<String> out = new ArrayList<>();
        users(org).forEach(u -> out.add(u.get("email").asString()));
        return out;
    }

    JsonNode user(Fixtures.TestOrg org, String email) {
        for (JsonNode u : users(org)) {
            if (u.get("email").asString().equals(email)) {
                return u;
            }
        }
        throw new AssertionError("no user " + email);
    }

    void define(Fixtures.TestOrg org, String attribute) {
        Api.Response response = api().post(org.admin().key(), "/api/v1/user-attributes",
                Map.of("name", attribute, "type", "string"));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    void setValues(Fixtures.TestOrg org, Fixtures.Person person, String attribute, List<String> values) {
        Api.Response response = api().put(org.admin().key(),
                "/api/v1/users/" + person.id().value() + "/attributes/" + attribute, Map.of("values", values));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    JsonNode ownValues(Fixtures.TestOrg org, Fixtures.Person person) {
        Api.Response response = api().get(org.admin().key(), "/api/v1/users/" + person.id().value() + "/attributes");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("own");
    }

    static List<String> values(JsonNode own, String attribute) {
        return own.has(attribute) ? strings(own.get(attribute)) : List.of();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asString()));
        return out;
    }

    String group(Fixtures.TestOrg org, String name, List<String> members) {
        Api.Response response = api().post(org.admin().key(), "/api/v1/groups", Map.of("name", name, "members", members));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    List<String> groupNames(Fixtures.TestOrg org) {
        Api.Response response = api().get(org.admin().key(), "/api/v1/groups");
        assertThat(response.status()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        response.json().forEach(g -> out.add(g.get("name").asString()));
        return out;
    }

    boolean memberOf(Fixtures.TestOrg org, String groupId, Fixtures.Person person) {
        Api.Response response = api().get(org.admin().key(), "/api/v1/groups/" + groupId);
        assertThat(response.status()).isEqualTo(200);
        return strings(response.json().get("members")).contains(person.id().value().toString());
    }

    /** A stretch from the middle of a long value: enough to recognise it, whatever surrounds it. */
    static String middle(String value) {
        int length = Math.min(48, value.length() / 2);
        int from = (value.length() - length) / 2;
        return value.substring(from, from + length);
    }
}
