package io.claimgate.gateway.http;

import io.claimgate.model.AuthResult;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.ErrorType;
import io.claimgate.gateway.config.GatewaySettings;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a request and forwards it to the upstream LLM proxy, streaming the answer back as it arrives
 * (server-sent events included: each chunk is flushed, nothing is buffered).
 *
 * <p>The caller's credentials never reach the upstream: {@code Authorization} and the other API-key headers are
 * dropped and the configured {@code upstream_api_key} is sent instead, with the identity headers. Hop-by-hop headers
 * are not forwarded in either direction.
 */
public final class ReverseProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReverseProxy.class);

    /** RFC 9110 hop-by-hop headers, plus what the client of this hop sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect");
    /** The caller's credentials, in every header LiteLLM reads one from. */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "x-litellm-api-key", "api-key",
            "x-api-key", "x-goog-api-key");

    private final Authenticator authenticator;
    private final GatewaySettings settings;
    private final HttpClient client;

    public ReverseProxy(Authenticator authenticator, GatewaySettings settings) {
        this.authenticator = authenticator;
        this.settings = settings;
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("upstream-client");
        pool.setDaemon(true);
        this.client = new HttpClient();
        client.setExecutor(pool);
        client.setConnectTimeout(settings.connectTimeout().toMillis());
        client.setIdleTimeout(settings.readTimeout().toMillis());
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setMaxConnectionsPerDestination(512);
        // Bodies pass through as the upstream encoded them; decoding would break Content-Encoding.
        client.getContentDecoderFactories().clear();
    }

    /** Starts the HTTP client. */
    public void start() throws Exception {
        client.start();
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }

    /**
     * Authenticates and forwards.
     *
     * @throws AuthException when refused or the upstream cannot be reached before anything was sent back
     */
    public void handle(Request request, Response response, Callback callback) throws IOException {
        if (settings.upstream() == null) {
            throw AuthException.notFound("no_upstream", "No upstream is configured (gateway.upstream): this gateway "
                    + "only answers /auth, /health/*, /metrics and the management API");
        }
        String rawPath = request.getHttpURI().getPath();
        String route = RoutePath.of(rawPath);
        byte[] body = RequestBody.read(request, settings.maxRequestBodyBytes());
        RequestFields fields = RequestFields.of(route, request.getHeaders().get(HttpHeader.CONTENT_TYPE), body);
        AuthResult caller = authenticator.authenticate(new AuthRequest(BearerToken.from(request.getHeaders()), route,
                fields.model() == null ? java.util.List.of() : java.util.List.of(fields.model()), ForwardAuth.blankToNull(request.getHeaders().get(ForwardAuth.TEAM)),
                fields.endUser()));
        forward(request, response, callback, rawPath, body, caller);
    }

    /**
     * Sends the request upstream and returns at once: the answer's status and headers are copied when they arrive,
     * and its body is copied chunk by chunk as the upstream produces it (server-sent events included), with demand,
     * so neither a server thread nor a client thread waits on the other.
     */
    private void forward(Request request, Response response, Callback callback, String rawPath, byte[] body,
                         AuthResult caller) {
        String query = request.getHttpURI().getQuery();
        String target = settings.upstream() + rawPath + (query == null ? "" : "?" + query);
        org.eclipse.jetty.client.Request upstream = client.newRequest(target)
                .method(request.getMethod())
                .idleTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> copyRequestHeaders(request, h, caller));
        if (body.length > 0) {
            upstream.body(new BytesRequestContent(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body));
        }
        // Set once the body copy owns the callback; until then a failure is answered with a JSON error instead.
        AtomicBoolean streaming = new AtomicBoolean();
        upstream.onResponseHeaders(answer -> copyResponseHeaders(answer, response))
                .onResponseContentSource((answer, source) -> {
                    streaming.set(true);
                    Content.copy(source, response, Callback.from(callback::succeeded, failure -> {
                        upstream.abort(failure);
                        callback.failed(failure);
                    }));
                })
                .send(result -> {
                    if (streaming.get()) {
                        return;
                    }
                    if (result.isSucceeded()) {
                        // An answer without a body never reaches the content listener.
                        response.write(true, null, callback);
                    } else if (response.isCommitted()) {
                        callback.failed(result.getFailure());
                    } else {
                        JsonResponses.writeError(response, callback, upstreamFailure(result.getFailure()));
                    }
                });
    }

    private static void copyResponseHeaders(org.eclipse.jetty.client.Response answer, Response response) {
        response.setStatus(answer.getStatus());
        Set<String> connectionTokens = connectionTokens(answer.getHeaders());
        for (HttpField field : answer.getHeaders()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !connectionTokens.contains(name)) {
                response.getHeaders().add(field.getName(), field.getValue());
            }
        }
    }

    /** 504 when the upstream went silent for {@code read_timeout}, 502 when it could not be reached at all. */
    private AuthException upstreamFailure(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return new AuthException(504, ErrorType.SERVICE_UNAVAILABLE, "upstream_timeout",
                    "The upstream LLM proxy did not answer in time", null, failure);
        }
        LOG.warn("upstream {} failed: {}", settings.upstream(), failure.toString());
        return new AuthException(502, ErrorType.SERVICE_UNAVAILABLE, "upstream_unavailable",
                "The upstream LLM proxy could not be reached", null, failure);
    }

    private void copyRequestHeaders(Request request, HttpFields.Mutable out, AuthResult caller) {
        HttpFields in = request.getHeaders();
        Set<String> connectionTokens = connectionTokens(in);
        for (HttpField field : in) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || CREDENTIALS.contains(name) || connectionTokens.contains(name)
                    || IdentityHeaders.LOWER_CASE.contains(name)) {
                continue;
            }
            out.add(field);
        }
        if (settings.upstreamApiKey() != null) {
            out.put(HttpHeader.AUTHORIZATION, "Bearer " + settings.upstreamApiKey());
        }
        IdentityHeaders.of(caller).forEach(out::put);
        String remote = Request.getRemoteAddr(request);
        String prior = in.get(HttpHeader.X_FORWARDED_FOR);
        out.put(HttpHeader.X_FORWARDED_FOR, prior == null ? remote : prior + ", " + remote);
        out.put(HttpHeader.X_FORWARDED_PROTO, request.getHttpURI().getScheme());
        String host = in.get(HttpHeader.HOST);
        if (host != null) {
            out.put(HttpHeader.X_FORWARDED_HOST, host);
        }
    }

    private static Set<String> connectionTokens(HttpFields headers) {
        Set<String> tokens = new HashSet<>();
        for (String value : headers.getValuesList(HttpHeader.CONNECTION)) {
            for (String token : value.split(",")) {
                tokens.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        return tokens;
    }
}
