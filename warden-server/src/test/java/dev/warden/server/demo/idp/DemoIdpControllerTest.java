package dev.warden.server.demo.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.warden.server.access.PublicEndpoint;
import dev.warden.server.access.Requires;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The demo identity provider over HTTP (Spring MVC's own request handling, without an
 * application context): loopback only, the HTML page, the redirect and the token endpoint.
 */
class DemoIdpControllerTest {
    static final String PUBLIC_URL = "http://localhost:8080";
    static final String CALLBACK = PUBLIC_URL + "/oidc/acme/callback";

    final DemoIdentityProvider idp = new DemoIdentityProvider(PUBLIC_URL, Clock.systemUTC());
    final DemoIdentityProvider.Client acme = idp.client("acme").orElseThrow();
    final MockMvc mvc = MockMvcBuilders.standaloneSetup(new DemoIdpController(idp, PUBLIC_URL)).build();
    final CodeVerifier verifier = new CodeVerifier();

    @Test
    void everyHandlerIsAPublicEndpoint() {
        List<Method> handlers = Arrays.stream(DemoIdpController.class.getDeclaredMethods())
                .filter(m -> Arrays.stream(m.getAnnotations()).anyMatch(a ->
                        a.annotationType().isAnnotationPresent(RequestMapping.class)))
                .toList();
        assertThat(handlers).hasSize(5);
        assertThat(handlers).allSatisfy(m -> {
            assertThat(m.getAnnotation(PublicEndpoint.class)).as(m.getName()).isNotNull();
            assertThat(m.getAnnotation(Requires.class)).as(m.getName()).isNull();
        });
    }

    @Test
    void aCallerThatIsNotOnLoopbackFindsNothing() throws Exception {
        RequestPostProcessor remote = request -> {
            request.setRemoteAddr("192.0.2.7");
            return request;
        };
        for (MockHttpServletRequestBuilder request : everyEndpoint()) {
            mvc.perform(request.with(remote)).andExpect(status().isNotFound());
        }
        RequestPostProcessor mappedV6 = request -> {
            request.setRemoteAddr("::ffff:198.51.100.1");
            return request;
        };
        mvc.perform(get("/demo-idp/acme/jwks").with(mappedV6)).andExpect(status().isNotFound());
    }

    @Test
    void aPageReachedUnderAForeignHostNameFindsNothing() throws Exception {
        // DNS rebinding: a web page whose name now points at 127.0.0.1 still arrives with its own Host.
        RequestPostProcessor rebound = request -> {
            request.setServerName("evil.example");
            return request;
        };
        for (MockHttpServletRequestBuilder request : everyEndpoint()) {
            mvc.perform(request.with(rebound)).andExpect(status().isNotFound());
        }
    }

    @Test
    void loopbackCallersOverIpv4AndIpv6AreServed() throws Exception {
        for (String address : List.of("127.0.0.1", "127.0.0.2", "0:0:0:0:0:0:0:1", "::1")) {
            mvc.perform(get("/demo-idp/acme/jwks").with(r -> {
                r.setRemoteAddr(address);
                return r;
            })).andExpect(status().isOk());
        }
        assertThat(DemoIdpController.isLoopback("localhost")).as("names are never resolved").isFalse();
        assertThat(DemoIdpController.isLoopback(null)).isFalse();
        assertThat(DemoIdpController.isLoopback("10.0.0.1")).isFalse();
    }

    @Test
    void behindAProxyOrUnderAPublicUrlTheProviderFindsNothingEvenFromLoopback() throws Exception {
        // A reverse proxy on the same host makes every caller look like loopback.
        for (String header : List.of("X-Forwarded-For", "Forwarded", "X-Forwarded-Host", "X-Real-IP", "Via")) {
            mvc.perform(get("/demo-idp/acme/jwks").header(header, "203.0.113.9")).andExpect(status().isNotFound());
        }
        MockMvc published = MockMvcBuilders.standaloneSetup(
                new DemoIdpController(idp, "https://warden.example.com")).build();
        published.perform(get("/demo-idp/acme/jwks")).andExpect(status().isNotFound());
        published.perform(get("/demo-idp/acme/jwks").header("Host", "warden.example.com")).andExpect(status().isNotFound());
    }

    @Test
    void anOrgTheProviderDoesNotServeFindsNothing() throws Exception {
        mvc.perform(get("/demo-idp/initech/.well-known/openid-configuration")).andExpect(status().isNotFound());
        mvc.perform(get("/demo-idp/initech/jwks")).andExpect(status().isNotFound());
    }

    @Test
    void discoveryAndJwksAreJson() throws Exception {
        String discovery = mvc.perform(get("/demo-idp/acme/.well-known/openid-configuration"))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andReturn().getResponse().getContentAsString();
        JSONObject json = (JSONObject) new JSONParser(JSONParser.MODE_STRICTEST).parse(discovery);
        assertThat(json.get("issuer")).isEqualTo(PUBLIC_URL + "/demo-idp/acme");
        assertThat(json.get("jwks_uri")).isEqualTo(PUBLIC_URL + "/demo-idp/acme/jwks");
        String jwks = mvc.perform(get("/demo-idp/acme/jwks")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(JWKSet.parse(jwks).getKeys()).singleElement().satisfies(k -> assertThat(k.isPrivate()).isFalse());
    }

    @Test
    void theSignInPageListsThePeopleUnderTheBannerWithEverythingEscaped() throws Exception {
        String hostile = "\"><script>alert(1)</script>'";
        MvcResult result = mvc.perform(authorizeQuery(hostile)).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(header().string("Content-Security-Policy", SignInPage.CONTENT_SECURITY_POLICY))
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, "no-store"))
                .andReturn();
        String html = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(html).contains(SignInPage.BANNER)
                .contains("<form method=\"post\" action=\"" + PUBLIC_URL + "/demo-idp/acme/authorize\">")
                .contains("name=\"state\" value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;\"")
                .doesNotContain("<script")
                .doesNotContain(hostile);
        for (String email : List.of("ava@acme.example", "ben@acme.example", "cara@acme.example", "dan@acme.example")) {
            assertThat(html).contains("<button type=\"submit\" name=\"person\" value=\"" + email + "\">");
        }
        assertThat(html).contains("ORG_ADMIN").contains("MEMBER, RESTRICTED_QUERIER").doesNotContain("globex.example");
        assertThat(SignInPage.CONTENT_SECURITY_POLICY).contains("default-src 'none'").contains("frame-ancestors 'none'")
                .doesNotContain("script-src");
    }

    @Test
    void aBadAuthorizationRequestGetsAnErrorPageAndNoRedirect() throws Exception {
        String html = mvc.perform(get("/demo-idp/acme/authorize").param("client_id", acme.id())
                        .param("redirect_uri", "http://evil.example/cb").param("response_type", "code")
                        .param("scope", "openid").param("state", "s").param("nonce", "n")
                        .param("code_challenge", challenge()).param("code_challenge_method", "S256"))
                .andExpect(status().isBadRequest())
                .andExpect(header().doesNotExist(HttpHeaders.LOCATION))
                .andExpect(header().string("Content-Security-Policy", SignInPage.CONTENT_SECURITY_POLICY))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(html).contains("redirect_uri").doesNotContain("evil.example");
    }

    @Test
    void pickingAPersonRedirectsWithACodeThatTheTokenEndpointRedeemsOnce() throws Exception {
        State state = new State();
        MvcResult approved = mvc.perform(authorizeForm(state.getValue()).param("person", "dan@acme.example"))
                .andExpect(status().isSeeOther())
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, "no-store"))
                .andReturn();
        URI location = URI.create(approved.getResponse().getHeader(HttpHeaders.LOCATION));
        assertThat(location.toString()).startsWith(CALLBACK + "?");
        Map<String, List<String>> query = URLUtils.parseParameters(location.getRawQuery());
        assertThat(query.get("state")).containsExactly(state.getValue());
        String code = query.get("code").getFirst();

        String body = mvc.perform(tokenRequest(code, acme.secret()))
                .andExpect(status().isOk())
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, "no-store"))
                .andReturn().getResponse().getContentAsString();
        JSONObject json = (JSONObject) new JSONParser(JSONParser.MODE_STRICTEST).parse(body);
        assertThat(json.get("token_type")).isEqualTo("Bearer");
        assertThat(SignedJWT.parse((String) json.get("id_token")).getJWTClaimsSet().getClaim("email"))
                .isEqualTo("dan@acme.example");

        mvc.perform(tokenRequest(code, acme.secret())).andExpect(status().isBadRequest())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("invalid_grant")));
    }

    @Test
    void aWrongClientSecretIsA401WithABasicChallenge() throws Exception {
        String wrong = "wrong-" + acme.secret().substring(6);
        mvc.perform(tokenRequest("whatever", wrong))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"warden-demo-idp\""))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("invalid_client")))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(wrong))));
    }

    @Test
    void formFieldsInTheQueryStringAreRefused() throws Exception {
        mvc.perform(post("/demo-idp/acme/authorize?person=ben%40acme.example").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .param("client_id", acme.id()))
                .andExpect(status().isBadRequest());
    }

    private List<MockHttpServletRequestBuilder> everyEndpoint() {
        return List.of(get("/demo-idp/acme/.well-known/openid-configuration"), get("/demo-idp/acme/jwks"),
                authorizeQuery("s"), authorizeForm("s").param("person", "ben@acme.example"),
                tokenRequest("code", acme.secret()));
    }

    private MockHttpServletRequestBuilder authorizeQuery(String state) {
        return get("/demo-idp/acme/authorize").queryParam("client_id", acme.id()).queryParam("redirect_uri", CALLBACK)
                .queryParam("response_type", "code").queryParam("scope", "openid email profile")
                .queryParam("state", state).queryParam("nonce", "n-0S6_WzA2Mj")
                .queryParam("code_challenge", challenge()).queryParam("code_challenge_method", "S256");
    }

    private MockHttpServletRequestBuilder authorizeForm(String state) {
        return post("/demo-idp/acme/authorize").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("client_id", acme.id()).param("redirect_uri", CALLBACK).param("response_type", "code")
                .param("scope", "openid email profile").param("state", state).param("nonce", "n-0S6_WzA2Mj")
                .param("code_challenge", challenge()).param("code_challenge_method", "S256");
    }

    private MockHttpServletRequestBuilder tokenRequest(String code, String secret) {
        String basic = Base64.getEncoder().encodeToString((acme.id() + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return post("/demo-idp/acme/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .header(HttpHeaders.AUTHORIZATION, "Basic " + basic)
                .param("grant_type", "authorization_code").param("code", code).param("redirect_uri", CALLBACK)
                .param("code_verifier", verifier.getValue());
    }

    private String challenge() {
        return CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
    }
}
