package dev.warden.server.identity.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import net.minidev.json.JSONObject;

/**
 * Sits between Warden and the real mock IdP: records every request, and can play the attacker
 * on the wire by replacing the ID token in the token endpoint's answer (built from the real
 * token's claims, so nonce and audience stay realistic) or by rewriting the JWKS.
 */
final class RecordingHttp implements HTTPRequestSender {
    record Sent(HTTPRequest.Method method, URI uri, Map<String, List<String>> headers, String body) {
    }

    private final HTTPRequestSender delegate;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private volatile Function<JWTClaimsSet, String> idTokenReplacement;
    private volatile UnaryOperator<String> jwksRewrite;

    RecordingHttp(HTTPRequestSender delegate) {
        this.delegate = delegate;
    }

    /** The next token responses carry, instead of the IdP's ID token, what this builds from its claims. */
    void replaceIdToken(Function<JWTClaimsSet, String> replacement) {
        this.idTokenReplacement = replacement;
    }

    void rewriteJwks(UnaryOperator<String> rewrite) {
        this.jwksRewrite = rewrite;
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    long count(String pathSuffix) {
        return sent.stream().filter(s -> s.uri().getPath().endsWith(pathSuffix)).count();
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        sent.add(new Sent(request.getMethod(), request.getURI(), Map.copyOf(request.getHeaderMap()),
                request.getBody()));
        ReadOnlyHTTPResponse response = delegate.send(request);
        String path = request.getURI().getPath();
        if (path.endsWith("/token") && idTokenReplacement != null && response.getStatusCode() == 200) {
            return rewriteIdToken(response);
        }
        if (path.endsWith("/jwks") && jwksRewrite != null && response.getStatusCode() == 200) {
            return json(jwksRewrite.apply(response.getBody()));
        }
        return response;
    }

    private ReadOnlyHTTPResponse rewriteIdToken(ReadOnlyHTTPResponse response) throws IOException {
        try {
            Map<String, Object> body = JSONObjectUtils.parse(response.getBody());
            JWTClaimsSet original = JWTParser.parse((String) body.get("id_token")).getJWTClaimsSet();
            body.put("id_token", idTokenReplacement.apply(original));
            return json(new JSONObject(body).toJSONString());
        } catch (Exception e) {
            throw new IOException("test could not rewrite the token response", e);
        }
    }

    private static HTTPResponse json(String body) {
        HTTPResponse response = new HTTPResponse(200);
        response.setHeader("Content-Type", "application/json");
        response.setBody(body);
        return response;
    }
}
