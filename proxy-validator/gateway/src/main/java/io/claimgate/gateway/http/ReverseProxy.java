package io.claimgate.gateway.http;

import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.limits.Admission;
import io.claimgate.gateway.limits.Permit;
import io.claimgate.gateway.limits.Refusal;
import io.claimgate.gateway.spend.CostCalculator;
import io.claimgate.gateway.spend.MeteredAnswer;
import io.claimgate.gateway.spend.Metering;
import io.claimgate.gateway.request.EndUserHeader;
import io.claimgate.gateway.request.RequestReader;
import io.claimgate.gateway.request.RequestedAccess;
import io.claimgate.model.AuthResult;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.Blocking;
import io.claimgate.validator.Caller;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a request and forwards it to the upstream LLM proxy, streaming the answer back as it arrives
 * (server-sent events included: each chunk is flushed, nothing is buffered).
 *
 * <p>Nothing is read from a caller who is not known: the credential and the route are checked first, from the
 * headers alone ({@link Authenticator#identify}); a refusal is answered at once and the connection closed with the
 * body unread. Only then is the body read ({@link BodyReader}: bounded in size, time, rate and concurrency, without
 * parking a thread), what it names read the way the upstream reads it ({@link RequestReader}) and authorised
 * ({@link Authenticator#authorize}). Routes outside {@code gateway.proxy_routes} are forwarded for proxy admins only.
 *
 * <p>The caller's credentials never reach the upstream: {@code Authorization} and the other API-key headers are
 * dropped and the configured {@code upstream_api_key} is sent instead, with the identity headers. Hop-by-hop headers
 * are not forwarded in either direction.
 *
 * <p>With {@link Metering} (spend tracking on), an authorised request is first admitted against its rate limits (a
 * refusal is a 429 with LiteLLM's message and headers), a streamed chat completion is asked for its usage, the
 * answer carries the {@code x-ratelimit-*} headers, and its usage is read chunk by chunk as it passes; when it ends,
 * however it ends, its parallel slot is freed, its tokens counted, and a success recorded as spend.
 */
public final class ReverseProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReverseProxy.class);

    /** RFC 9110 hop-by-hop headers, plus what the client of this hop sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect");
    /**
     * What is not copied from the upstream's answer: the hop-by-hop headers, but not {@code Content-Length} (the
     * answer's bytes pass through unchanged, so the length holds, and keeping it spares re-chunking every answer);
     * and {@code Date}, which the gateway's server sets itself (copying it sent two).
     */
    private static final Set<String> NOT_FROM_UPSTREAM = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "date");
    /** What names the client's address; believed only from a trusted proxy ({@code gateway.trusted_proxies}). */
    private static final Set<String> CLIENT_ADDRESS = Set.of("x-forwarded-for", "forwarded", "x-real-ip");
    /** The header LiteLLM's file, batch and similar routes take their model from; authorised like any other. */
    static final String MODEL_HEADER = "x-litellm-model";

    private final Authenticator authenticator;
    private final GatewaySettings settings;
    private final HttpClient client;
    private final BodyReader bodies;
    private final ProxyRoutes routes;
    private final TrustedProxies trustedProxies;
    private final Metering metering;
    private final BearerToken credentials;
    private final Executor workers;
    private final InlineFirst inline;

    /** Without rate limits or spend. */
    public ReverseProxy(Authenticator authenticator, GatewaySettings settings, Executor workers) {
        this(authenticator, settings, null, BearerToken.BUILT_IN, workers);
    }

    /**
     * @param metering    rate limits and spend, or {@code null} for none
     * @param credentials the caller's credentials, in every header LiteLLM reads one from; none is forwarded
     * @param workers     the threads that may wait (the server's pool): work that must wait moves there, and the
     *                    upstream client runs its own tasks there too, so that one pool serves both legs
     */
    public ReverseProxy(Authenticator authenticator, GatewaySettings settings, Metering metering,
                        BearerToken credentials, Executor workers) {
        this.credentials = credentials;
        this.authenticator = authenticator;
        this.metering = metering;
        this.settings = settings;
        this.workers = workers;
        this.inline = new InlineFirst(workers);
        this.bodies = new BodyReader(settings.bodyReads(), settings.maxRequestBodyBytes());
        this.routes = new ProxyRoutes(settings.proxyRoutes());
        this.trustedProxies = TrustedProxies.of(settings.trustedProxies());
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        // The answer's listeners never wait (headers copied, chunks handed on with demand, slots freed in memory;
        // a Redis slot is freed on a worker): the upstream's answer is copied on the selector thread that read it.
        transport.setInvocationType(InvocationType.NON_BLOCKING);
        this.client = new HttpClient(transport);
        client.setExecutor(workers);
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
     * Identifies the caller, reads the body, authorises what it names and forwards. Returns at once; the answer is
     * written later.
     *
     * @param route     the request's route, as {@link RoutePath#of} read it from the path
     * @param forwarded completed when the upstream's answer has been streamed to the caller
     * @param refuse    told of a refusal or failure that happens after this method returned (while or after the body
     *                  is read), for the caller to answer; {@code forwarded} is then not used
     * @throws io.claimgate.validator.AuthException when the credential or route is refused, before anything is read
     * @throws HttpError                            for a route not forwarded, or a body refused before reading it
     */
    public void handle(Request request, String route, Response response, Callback forwarded,
                       Consumer<Throwable> refuse) {
        if (settings.upstream() == null) {
            throw HttpError.notFound("no_upstream", "No upstream is configured (gateway.upstream): this gateway "
                    + "only answers /auth, /health/*, /metrics and the management API");
        }
        String rawPath = request.getHttpURI().getPath();
        String token = credentials.read(request.getHeaders());
        Caller caller = authenticator.identify(token, route);
        if (!routes.forwards(route) && !caller.decided().map(AuthResult::proxyAdmin).orElse(false)) {
            throw ProxyRoutes.notForwarded(route);
        }
        HttpFields headers = request.getHeaders();
        // Read before the body, so that every ambiguous header is refused without reading it.
        String contentType = RequestHeaders.single(headers, HttpHeader.CONTENT_TYPE.asString());
        String headerModel = RequestHeaders.single(headers, MODEL_HEADER);
        String endUser = EndUserHeader.from(headers);
        // Each step after the body runs where the previous one ended, and moves to a worker only if it must wait
        // (InlineFirst): a step is restartable up to its first waiting place, so only that step runs again there.
        bodies.read(request, body -> inline.proceed(() -> refusing(refuse, () -> {
            // A proxy admin or the master key may call every model and route it reached here with, so its body
            // is not read for models (an admin's config or model calls carry fields a member's may not).
            RequestedAccess access = caller.decided().isPresent() ? new RequestedAccess(List.of(), endUser)
                    : RequestReader.read(route, request.getHttpURI().getQuery(), contentType, body, endUser)
                            .agreeingWith(MODEL_HEADER, headerModel);
            AuthResult result = authenticator.authorize(caller, CallerRequests.of(token, headers, route, access));
            if (metering == null) {
                forward(request, response, forwarded, rawPath, body, result, null);
            } else {
                inline.proceed(() -> refusing(refuse, () ->
                        forwardMetered(request, response, forwarded, rawPath, route, body, result, access)));
            }
        })), refuse);
    }

    /** Runs a step, handing its refusal or failure to {@code refuse}; a step that would wait is not a failure. */
    private static void refusing(Consumer<Throwable> refuse, Runnable step) {
        try {
            step.run();
        } catch (Blocking.WouldBlockException e) {
            // Nothing of this step happened yet: InlineFirst runs it again on a worker.
            throw e;
        } catch (Throwable t) {
            refuse.accept(t);
        }
    }

    /** Admits the request against its limits, then forwards it with its answer metered. */
    private void forwardMetered(Request request, Response response, Callback forwarded, String rawPath, String route,
                                byte[] body, AuthResult caller, RequestedAccess access) {
        Admission admission;
        try {
            admission = metering.admit(caller, access.models().isEmpty() ? null : access.models().get(0));
        } catch (SQLException e) {
            // Limits that cannot be read are not skipped: the request would escape them.
            throw HttpError.unavailable(503, "limits_unavailable", "Rate limits could not be read from the "
                    + "database; try again shortly", e);
        }
        if (admission instanceof Refusal refusal) {
            throw new LimitRefused(refusal);
        }
        Permit permit = (Permit) admission;
        MeteredAnswer answer = metering.answer(permit, caller, route,
                access.models().isEmpty() ? null : access.models().get(0));
        try {
            forward(request, response, forwarded, rawPath, metering.requestBody(route, body), caller, answer);
        } catch (RuntimeException | Error e) {
            answer.end(0);
            throw e;
        }
    }

    /**
     * Sends the request upstream and returns at once: the answer's status and headers are copied when they arrive,
     * and its body is copied chunk by chunk as the upstream produces it (server-sent events included), with demand,
     * so neither a server thread nor a client thread waits on the other.
     */
    private void forward(Request request, Response response, Callback forwarded, String rawPath, byte[] body,
                         AuthResult caller, MeteredAnswer answer) {
        // The answer ends exactly once, through this callback, whichever way it ends.
        Callback callback = answer == null ? forwarded : Callback.from(() -> {
            end(answer, response.getStatus());
            forwarded.succeeded();
        }, failure -> {
            // The status is the upstream's once its headers were copied; before that nothing is recorded.
            end(answer, response.getStatus());
            forwarded.failed(failure);
        });
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
        upstream.onResponseHeaders(upstreamAnswer -> {
                    copyResponseHeaders(upstreamAnswer, response);
                    if (answer != null) {
                        meterHeaders(upstreamAnswer, response, answer);
                    }
                })
                .onResponseContentSource((upstreamAnswer, source) -> {
                    streaming.set(true);
                    Content.Source copied = answer == null ? source : new ScanningSource(source, answer);
                    Content.copy(copied, response, Callback.from(callback::succeeded, failure -> {
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

    /** Ends a metered answer; on a worker when freeing its slot talks to Redis, since this may be a selector thread. */
    private void end(MeteredAnswer answer, int status) {
        if (answer.permit().finishWaits()) {
            workers.execute(() -> answer.end(status));
        } else {
            answer.end(status);
        }
    }

    /** Adds the limits' headers and starts reading the answer's usage. */
    private static void meterHeaders(org.eclipse.jetty.client.Response upstreamAnswer, Response response,
                                     MeteredAnswer answer) {
        HttpFields headers = upstreamAnswer.getHeaders();
        answer.headers(headers.get(HttpHeader.CONTENT_TYPE), headers.get(CostCalculator.RESPONSE_COST_HEADER));
        Map<String, String> limits = answer.permit().headers();
        if (!limits.isEmpty()) {
            HttpFields.Mutable out = response.getHeaders();
            limits.forEach(out::put);
        }
    }

    private static void copyResponseHeaders(org.eclipse.jetty.client.Response answer, Response response) {
        response.setStatus(answer.getStatus());
        Set<String> connectionTokens = connectionTokens(answer.getHeaders());
        for (HttpField field : answer.getHeaders()) {
            // Jetty keeps known headers' lower-case names: no string per header and request.
            String name = field.getLowerCaseName();
            if (!NOT_FROM_UPSTREAM.contains(name) && !connectionTokens.contains(name)) {
                response.getHeaders().add(field.getName(), field.getValue());
            }
        }
    }

    /** 504 when the upstream went silent for {@code read_timeout}, 502 when it could not be reached at all. */
    private HttpError upstreamFailure(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return HttpError.unavailable(504, "upstream_timeout", "The upstream LLM proxy did not answer in time",
                    failure);
        }
        // The failure's class only: Jetty's messages may quote the URL, and with it a password in user info.
        LOG.warn("upstream {} failed: {}", settings.upstreamForLog(), failure.getClass().getSimpleName());
        return HttpError.unavailable(502, "upstream_unavailable", "The upstream LLM proxy could not be reached",
                failure);
    }

    private void copyRequestHeaders(Request request, HttpFields.Mutable out, AuthResult caller) {
        HttpFields in = request.getHeaders();
        String peer = Request.getRemoteAddr(request);
        boolean trustedPeer = trustedProxies.trusts(peer);
        Set<String> connectionTokens = connectionTokens(in);
        for (HttpField field : in) {
            String name = field.getLowerCaseName();
            if (HOP_BY_HOP.contains(name) || credentials.headers().contains(name) || connectionTokens.contains(name)
                    || IdentityHeaders.LOWER_CASE.contains(name)
                    || (!trustedPeer && CLIENT_ADDRESS.contains(name))) {
                continue;
            }
            out.add(field);
        }
        if (settings.upstreamApiKey() != null) {
            out.put(HttpHeader.AUTHORIZATION, "Bearer " + settings.upstreamApiKey());
        }
        IdentityHeaders.of(caller).forEach(out::put);
        String prior = trustedPeer ? String.join(", ", in.getValuesList(HttpHeader.X_FORWARDED_FOR)) : null;
        out.put(HttpHeader.X_FORWARDED_FOR, trustedProxies.forwardedFor(prior, peer));
        out.put(HttpHeader.X_FORWARDED_PROTO, request.getHttpURI().getScheme());
        String host = in.get(HttpHeader.HOST);
        if (host != null) {
            out.put(HttpHeader.X_FORWARDED_HOST, host);
        }
    }

    private static Set<String> connectionTokens(HttpFields headers) {
        List<String> values = headers.getValuesList(HttpHeader.CONNECTION);
        if (values.isEmpty()) {
            // The usual case on both legs: no set to build per request.
            return Set.of();
        }
        Set<String> tokens = new HashSet<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                tokens.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        return tokens;
    }
}
