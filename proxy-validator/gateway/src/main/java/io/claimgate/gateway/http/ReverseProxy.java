package io.claimgate.gateway.http;

import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.limits.Admission;
import io.claimgate.gateway.limits.Permit;
import io.claimgate.gateway.limits.Refusal;
import io.claimgate.gateway.request.EndUserHeader;
import io.claimgate.gateway.request.RequestReader;
import io.claimgate.gateway.request.RequestedAccess;
import io.claimgate.gateway.spend.MeteredAnswer;
import io.claimgate.gateway.spend.Metering;
import io.claimgate.model.AuthResult;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.Blocking;
import io.claimgate.validator.Caller;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.ConnectException;
import java.net.URI;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
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
 * ({@link Authenticator#authorize}), and the request forwarded ({@link UpstreamCall}) on a kept-alive connection of
 * the caller's event loop ({@link UpstreamConnections}). Routes outside {@code gateway.proxy_routes} are forwarded
 * for proxy admins only.
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
public final class ReverseProxy {

    private static final Logger LOG = LoggerFactory.getLogger(ReverseProxy.class);

    /** RFC 9110 hop-by-hop headers, plus what the client of this hop sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect");
    /**
     * What is not copied from the upstream's answer: the hop-by-hop headers, but not {@code Content-Length} (the
     * answer's bytes pass through unchanged, so the length holds, and keeping it spares re-chunking every answer).
     */
    static final Set<String> NOT_FROM_UPSTREAM = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
    /** What names the client's address; believed only from a trusted proxy ({@code gateway.trusted_proxies}). */
    private static final Set<String> CLIENT_ADDRESS = Set.of("x-forwarded-for", "forwarded", "x-real-ip");
    /** The header LiteLLM's file, batch and similar routes take their model from; authorised like any other. */
    static final String MODEL_HEADER = "x-litellm-model";

    private final Authenticator authenticator;
    private final GatewaySettings settings;
    private final BodyReader bodies;
    private final ProxyRoutes routes;
    private final TrustedProxies trustedProxies;
    private final Metering metering;
    private final BearerToken credentials;
    /** Lower-case names never forwarded: hop-by-hop, every credential header, the identity headers. */
    private final Set<String> neverForwarded;
    private final Executor workers;
    private final InlineFirst inline;
    private final UpstreamConnections upstream;
    private final String upstreamBasePath;

    /**
     * @param metering    rate limits and spend, or {@code null} for none
     * @param credentials the caller's credentials, in every header LiteLLM reads one from; none is forwarded
     * @param bodies      reads request bodies within their bounds
     * @param workers     the threads that may wait: work that must wait moves there
     * @param channelType the kind of socket channel the event loops run (epoll or NIO)
     */
    public ReverseProxy(Authenticator authenticator, GatewaySettings settings, Metering metering,
                        BearerToken credentials, BodyReader bodies, Executor workers,
                        Class<? extends Channel> channelType) {
        this.credentials = credentials;
        Set<String> dropped = new HashSet<>(HOP_BY_HOP);
        dropped.addAll(credentials.headers());
        dropped.addAll(IdentityHeaders.LOWER_CASE);
        this.neverForwarded = Set.copyOf(dropped);
        this.authenticator = authenticator;
        this.metering = metering;
        this.settings = settings;
        this.workers = workers;
        this.inline = new InlineFirst(workers);
        this.bodies = bodies;
        this.routes = new ProxyRoutes(settings.proxyRoutes());
        this.trustedProxies = TrustedProxies.of(settings.trustedProxies());
        URI target = settings.upstream();
        this.upstream = target == null ? null
                : new UpstreamConnections(target, channelType, settings.connectTimeout(), settings.readTimeout());
        String basePath = target == null || target.getRawPath() == null ? "" : target.getRawPath();
        this.upstreamBasePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
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
    public void handle(Exchange exchange, String route, Completion forwarded, Consumer<Throwable> refuse) {
        if (settings.upstream() == null) {
            throw HttpError.notFound("no_upstream", "No upstream is configured (gateway.upstream): this gateway "
                    + "only answers /auth, /health/*, /metrics and the management API");
        }
        String token = credentials.read(exchange.headers());
        Caller caller = authenticator.identify(token, route);
        if (!routes.forwards(route) && !caller.decided().map(AuthResult::proxyAdmin).orElse(false)) {
            throw ProxyRoutes.notForwarded(route);
        }
        HttpHeaders headers = exchange.headers();
        // Read before the body, so that every ambiguous header is refused without reading it.
        String contentType = RequestHeaders.single(headers, HttpHeaderNames.CONTENT_TYPE.toString());
        String headerModel = RequestHeaders.single(headers, MODEL_HEADER);
        String endUser = EndUserHeader.from(headers);
        // Each step after the body runs where the previous one ended, and moves to a worker only if it must wait
        // (InlineFirst): a step is restartable up to its first waiting place, so only that step runs again there.
        bodies.read(exchange, body -> inline.proceed(() -> refusing(refuse, () -> {
            // A proxy admin or the master key may call every model and route it reached here with, so its body
            // is not read for models (an admin's config or model calls carry fields a member's may not).
            RequestedAccess access = caller.decided().isPresent() ? new RequestedAccess(List.of(), endUser)
                    : RequestReader.read(route, exchange.rawQuery(), contentType, body, endUser)
                            .agreeingWith(MODEL_HEADER, headerModel);
            AuthResult result = authenticator.authorize(caller, CallerRequests.of(token, headers, route, access));
            if (metering == null) {
                forward(exchange, forwarded, refuse, body, result, null);
            } else {
                inline.proceed(() -> refusing(refuse, () ->
                        forwardMetered(exchange, forwarded, refuse, route, body, result, access)));
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
    private void forwardMetered(Exchange exchange, Completion forwarded, Consumer<Throwable> refuse, String route,
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
            forward(exchange, forwarded, refuse, metering.requestBody(route, body), caller, answer);
        } catch (RuntimeException | Error e) {
            answer.end(0);
            throw e;
        }
    }

    /**
     * Sends the request upstream and returns at once: the answer is copied back as it arrives ({@link UpstreamCall}),
     * so no thread waits on either leg.
     */
    private void forward(Exchange exchange, Completion forwarded, Consumer<Throwable> refuse, byte[] body,
                         AuthResult caller, MeteredAnswer answer) {
        String query = exchange.rawQuery();
        String target = upstreamBasePath + exchange.rawPath() + (query == null ? "" : "?" + query);
        new UpstreamCall(upstream, exchange, target, upstreamHeaders(exchange, caller), body, answer, forwarded,
                refuse, this).start();
    }

    /** Ends a metered answer; on a worker when freeing its slot talks to Redis, since this is an event loop. */
    void end(MeteredAnswer answer, int status) {
        if (answer.permit().finishWaits()) {
            workers.execute(() -> answer.end(status));
        } else {
            answer.end(status);
        }
    }

    /**
     * 504 when the upstream went silent for {@code read_timeout}; 502 when it could not be reached at all (refused, or
     * no connection within {@code connect_timeout}) or broke off.
     */
    HttpError upstreamFailure(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return HttpError.unavailable(504, "upstream_timeout", "The upstream LLM proxy did not answer in time",
                    failure);
        }
        // The failure's class only: messages may quote the address, and with it a password in user info.
        LOG.warn("upstream {} failed: {}", settings.upstreamForLog(),
                failure instanceof ConnectTimeoutException ? "no connection within connect_timeout"
                        : failure instanceof ConnectException ? "connection refused"
                        : failure.getClass().getSimpleName());
        return HttpError.unavailable(502, "upstream_unavailable", "The upstream LLM proxy could not be reached",
                failure);
    }

    /** The caller's headers without its credentials, hop-by-hop and identity headers, plus the gateway's own. */
    private HttpHeaders upstreamHeaders(Exchange exchange, AuthResult caller) {
        HttpHeaders in = exchange.headers();
        String peer = exchange.peerAddress();
        boolean trustedPeer = trustedProxies.trusts(peer);
        Set<String> connectionTokens = connectionTokens(in);
        HttpHeaders out = new DefaultHttpHeaders();
        Iterator<Map.Entry<CharSequence, CharSequence>> headers = in.iteratorCharSequence();
        while (headers.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = headers.next();
            // Names keep the caller's case: one lower-case copy, then one hash lookup per set.
            String name = header.getKey().toString().toLowerCase(Locale.ROOT);
            if (neverForwarded.contains(name) || connectionTokens.contains(name)
                    || (!trustedPeer && CLIENT_ADDRESS.contains(name))) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
        out.set(HttpHeaderNames.HOST, upstream.hostHeader());
        if (settings.upstreamApiKey() != null) {
            out.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + settings.upstreamApiKey());
        }
        IdentityHeaders.of(caller).forEach(out::set);
        String prior = trustedPeer ? String.join(", ", in.getAll("X-Forwarded-For")) : null;
        out.set("X-Forwarded-For", trustedProxies.forwardedFor(prior, peer));
        out.set("X-Forwarded-Proto", "http");
        String host = in.get(HttpHeaderNames.HOST);
        if (host != null) {
            out.set("X-Forwarded-Host", host);
        }
        return out;
    }

    /** Removes the hop-by-hop headers in {@code names} and those the {@code Connection} header names. */
    static void dropHopByHop(HttpHeaders headers, Set<String> names) {
        Set<String> tokens = connectionTokens(headers);
        for (String name : names) {
            headers.remove(name);
        }
        for (String token : tokens) {
            headers.remove(token);
        }
    }

    /** The lower-case names the {@code Connection} header lists, besides the hop-by-hop ones every hop drops. */
    private static Set<String> connectionTokens(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty() || (values.size() == 1 && (values.get(0).equalsIgnoreCase("keep-alive")
                || values.get(0).equalsIgnoreCase("close")))) {
            // The usual cases on both legs: no set to build per request.
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
