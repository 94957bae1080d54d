package dev.warden.server.identity.oidc;

import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every HTTP call Warden makes to an identity provider (discovery, JWKS, token endpoint) goes
 * through one {@link HTTPRequestSender}; this is the default one. It never follows redirects,
 * bounds the whole exchange by a deadline (connect, headers and body together, so a provider
 * that trickles bytes cannot hold a sign-in thread) and refuses bodies over
 * {@link #MAX_BODY_BYTES}. Tests substitute their own sender around it.
 */
public final class IdpHttp implements HTTPRequestSender {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Discovery documents, key sets and token responses are a few KiB; 1 MiB is generous. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    /** Headers that java.net.http sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** Which addresses an identity provider's host may resolve to (an org admin names the host). */
    @FunctionalInterface
    public interface AddressPolicy {
        boolean allows(java.net.InetAddress address, int port);

        AddressPolicy ANY = (address, port) -> true;
    }

    private final HttpClient client;
    private final Duration timeout;
    private final AddressPolicy policy;

    private IdpHttp(Duration connectTimeout, Duration timeout) {
        this(connectTimeout, timeout, AddressPolicy.ANY);
    }

    private IdpHttp(Duration connectTimeout, Duration timeout, AddressPolicy policy) {
        this.timeout = Objects.requireNonNull(timeout, "timeout is null");
        this.policy = Objects.requireNonNull(policy, "policy is null");
        this.client = HttpClient.newBuilder()
                .connectTimeout(Objects.requireNonNull(connectTimeout, "connect timeout is null"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public static IdpHttp standard() {
        return new IdpHttp(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT);
    }

    /**
     * The default sender, refusing hosts that resolve to an address {@code policy} does not allow:
     * an org admin chooses the issuer, and Warden must not become their probe of its own network
     * (loopback, link-local and cloud metadata addresses, the metadata store). The name is resolved
     * here and again by the HTTP client, so DNS rebinding is a known gap, as for warehouses.
     */
    public static IdpHttp withPolicy(AddressPolicy policy) {
        return new IdpHttp(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, policy);
    }

    /** {@code timeout} bounds each whole request, from connecting to the last byte of the body. */
    public static IdpHttp withTimeouts(Duration connectTimeout, Duration timeout) {
        return new IdpHttp(connectTimeout, timeout);
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        checkAddress(request.getURI());
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getURI()).timeout(timeout);
        for (Map.Entry<String, List<String>> header : request.getHeaderMap().entrySet()) {
            if (RESTRICTED_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        switch (request.getMethod()) {
            case GET -> builder.GET();
            case POST -> builder.POST(HttpRequest.BodyPublishers.ofString(
                    request.getBody() == null ? "" : request.getBody(), StandardCharsets.UTF_8));
            default -> throw new IOException("unsupported method " + request.getMethod());
        }
        CompletableFuture<HttpResponse<byte[]>> pending =
                client.sendAsync(builder.build(), info -> new BoundedBody(MAX_BODY_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("request failed: " + e.getCause().getClass().getSimpleName());
        }
        HTTPResponse result = new HTTPResponse(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                result.setHeader(name, values.toArray(String[]::new));
            }
        });
        result.setBody(new String(response.body(), StandardCharsets.UTF_8));
        return result;
    }

    private void checkAddress(java.net.URI uri) throws IOException {
        if (policy == AddressPolicy.ANY) {
            return;
        }
        String host = uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        if (host == null) {
            throw new IOException("no host");
        }
        for (java.net.InetAddress address : java.net.InetAddress.getAllByName(
                host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host)) {
            if (!policy.allows(address, port)) {
                throw new java.net.ConnectException("the identity provider's address is not allowed on this deployment");
            }
        }
    }

    /** Collects a body up to a limit, and fails (cancelling the stream) beyond it. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("response body larger than " + limit + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
