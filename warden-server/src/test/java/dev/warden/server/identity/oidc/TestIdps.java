package dev.warden.server.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.minidev.json.JSONObject;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.OAuth2HttpRouterKt;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;

/**
 * Two real OIDC providers for the tests (mock-oauth2-server): org A's, whose signing key the
 * tests know (so they can also sign what a compromised or confused party would), and org B's, a
 * different provider with its own key. Around org A's provider, a few extra endpoints play
 * misbehaving providers: an impostor discovery document, a token endpoint that answers what the
 * test says, and one whose token endpoint never answers.
 */
final class TestIdps implements AutoCloseable {
    static final String CLIENT_ID = "warden-client";
    static final String SECRET = "Sup3r-Secret-Client-Value-7f1d";

    final RSAKey keyA;
    final RSAKey keyB;
    final RSAKey attackerKey;
    final ScriptedClaims claimsA = new ScriptedClaims("org-a");
    final ScriptedClaims claimsB = new ScriptedClaims("org-b");
    final MockOAuth2Server idpA;
    final MockOAuth2Server idpB;
    final AtomicInteger attackerJwksHits = new AtomicInteger();
    /** What {@code /echo/token} answers: status and body. */
    final AtomicReference<Map.Entry<Integer, String>> echoTokenAnswer = new AtomicReference<>(Map.entry(500, "{}"));
    private final ServerSocket silent;
    private final int closedPort;

    TestIdps() throws JOSEException, IOException {
        // The mock publishes each issuer's key under the issuer id as its kid.
        keyA = new RSAKeyGenerator(2048).keyID("org-a").generate();
        keyB = new RSAKeyGenerator(2048).keyID("org-b").generate();
        attackerKey = new RSAKeyGenerator(2048).keyID("attacker-key").generate();
        // Accepts connections (into the backlog) and never answers: a provider that hangs.
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }

        idpA = new MockOAuth2Server(config(keyA, claimsA),
                OAuth2HttpRouterKt.get("/impostor/.well-known/openid-configuration",
                        request -> json(200, discovery(issuerA(), issuerA()))),
                OAuth2HttpRouterKt.get("/echo/.well-known/openid-configuration",
                        request -> json(200, discovery(url("/echo"), issuerA()).appendField("token_endpoint", url("/echo/token")).toJSONString())),
                OAuth2HttpRouterKt.post("/echo/token",
                        request -> json(echoTokenAnswer.get().getKey(), echoTokenAnswer.get().getValue())),
                OAuth2HttpRouterKt.get("/hanging/.well-known/openid-configuration",
                        request -> json(200, discovery(url("/hanging"), issuerA())
                                .appendField("token_endpoint", "http://127.0.0.1:" + silent.getLocalPort() + "/token").toJSONString())),
                OAuth2HttpRouterKt.get("/unreachable/.well-known/openid-configuration",
                        request -> json(200, discovery(url("/unreachable"), issuerA())
                                .appendField("token_endpoint", "http://127.0.0.1:" + closedPort + "/token").toJSONString())),
                OAuth2HttpRouterKt.get("/huge/.well-known/openid-configuration",
                        request -> json(200, discovery(url("/huge"), issuerA())
                                .appendField("padding", "x".repeat(2 * IdpHttp.MAX_BODY_BYTES)).toJSONString())),
                OAuth2HttpRouterKt.get("/redirecting/.well-known/openid-configuration",
                        request -> new OAuth2HttpResponse(Headers.of("Location", issuerA() + "/.well-known/openid-configuration"),
                                302, "", null)),
                OAuth2HttpRouterKt.get("/plain-http/.well-known/openid-configuration",
                        request -> json(200, discovery(url("/plain-http"), issuerA())
                                .appendField("token_endpoint", "http://idp.example.com/token").toJSONString())));
        idpA.start();
        idpB = new MockOAuth2Server(config(keyB, claimsB), new Route[] {
                OAuth2HttpRouterKt.get("/attacker/jwks", request -> {
                    attackerJwksHits.incrementAndGet();
                    return json(200, new JWKSet(attackerKey.toPublicJWK()).toString());
                })});
        idpB.start();
        warmUp();
    }

    /** The mock's first answers take a while (class loading); keep that out of the tests' timeouts. */
    private void warmUp() throws IOException {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        try {
            for (okhttp3.HttpUrl url : List.of(idpA.wellKnownUrl("org-a"), idpA.jwksUrl("org-a"), idpB.wellKnownUrl("org-b"),
                    idpB.jwksUrl("org-b"))) {
                client.send(java.net.http.HttpRequest.newBuilder(url.uri()).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
            }
            idpA.issueToken("org-a", CLIENT_ID, claimsA);
            idpB.issueToken("org-b", CLIENT_ID, claimsB);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static OAuth2Config config(RSAKey key, ScriptedClaims claims) {
        return new OAuth2Config(false, null, null, false,
                new OAuth2TokenProvider(new KeyProvider(List.of(key))), java.util.Set.of(claims));
    }

    String issuerA() {
        return idpA.issuerUrl("org-a").toString();
    }

    String issuerB() {
        return idpB.issuerUrl("org-b").toString();
    }

    /** A path on org A's provider's host. */
    String url(String path) {
        String base = idpA.baseUrl().toString();
        return base.substring(0, base.length() - 1) + path;
    }

    String attackerJwksUrl() {
        String base = idpB.baseUrl().toString();
        return base.substring(0, base.length() - 1) + "/attacker/jwks";
    }

    String hangingTokenEndpoint() {
        return "http://127.0.0.1:" + silent.getLocalPort() + "/token";
    }

    int closedPort() {
        return closedPort;
    }

    /** A discovery document that claims {@code issuer} and points at org A's real endpoints. */
    private JSONObject discovery(String issuer, String endpointsOf) {
        JSONObject doc = new JSONObject();
        doc.put("issuer", issuer);
        doc.put("authorization_endpoint", endpointsOf + "/authorize");
        doc.put("token_endpoint", endpointsOf + "/token");
        doc.put("jwks_uri", endpointsOf + "/jwks");
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        return doc;
    }

    private static OAuth2HttpResponse json(int status, JSONObject body) {
        return json(status, body.toJSONString());
    }

    private static OAuth2HttpResponse json(int status, String body) {
        return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), status, body, null);
    }

    @Override
    public void close() {
        idpA.shutdown();
        idpB.shutdown();
        try {
            silent.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
