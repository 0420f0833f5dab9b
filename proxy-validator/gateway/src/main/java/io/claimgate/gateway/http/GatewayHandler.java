package io.claimgate.gateway.http;

import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.Blocking;
import io.claimgate.validator.access.ReadRoutes;
import io.claimgate.gateway.ReadinessMonitor;
import io.claimgate.gateway.config.RouteSource;
import io.claimgate.gateway.limits.Refusal;
import io.claimgate.gateway.management.ManagementApi;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.request.RequestedAccess;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request to its endpoint and turns every failure into LiteLLM's error JSON.
 *
 * <p>Health and metrics are public; {@code /auth} decides for a front proxy; management routes need a proxy admin;
 * {@code /models} lists models; everything else is authenticated and forwarded. An {@link AuthException} or an
 * {@link HttpError} is the client's answer; any other exception is a bug in the gateway, logged with its stack trace
 * and answered with a bare 500 that says nothing about it. A refusal of a request whose body was not read closes the
 * connection ({@link GatewayConnection}), so that the unread bytes are never parsed as a next request.
 *
 * <p>Runs on the event loop that read the request; every endpoint either answers from memory there or moves to a
 * worker ({@link InlineFirst}) before it would wait.
 */
public final class GatewayHandler implements Consumer<Exchange> {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);
    private static final byte[] NO_BODY = new byte[0];

    private final Authenticator authenticator;
    private final ForwardAuth forwardAuth;
    private final ReverseProxy proxy;
    private final ModelsEndpoint models;
    private final ManagementApi management;
    private final ReadinessMonitor readiness;
    private final GatewayMetrics metrics;
    private final BearerToken credentials;
    private final BodyReader bodies;
    private final InlineFirst inline;

    /**
     * @param credentials where the caller's credential is read from ({@code litellm_key_header_name})
     * @param bodies      reads the management API's bodies, with the proxy's bounds
     * @param workers     runs what must wait (database, key fetches, Redis) off the event loops
     */
    public GatewayHandler(Authenticator authenticator, ReverseProxy proxy, ModelsEndpoint models,
                          ManagementApi management, ReadinessMonitor readiness, RouteSource forwardAuthRoute,
                          GatewayMetrics metrics, BearerToken credentials, BodyReader bodies, Executor workers) {
        this.inline = new InlineFirst(workers);
        this.authenticator = authenticator;
        this.credentials = credentials;
        this.forwardAuth = new ForwardAuth(authenticator, forwardAuthRoute, credentials);
        this.proxy = proxy;
        this.models = models;
        this.management = management;
        this.readiness = readiness;
        this.metrics = metrics;
        this.bodies = bodies;
    }

    @Override
    public void accept(Exchange exchange) {
        long start = System.nanoTime();
        String rawPath = exchange.rawPath();
        switch (rawPath) {
            case "/health/liveliness", "/health/liveness" ->
                // LiteLLM answers with this JSON string; probes written for it keep working.
                JsonResponses.write(exchange, Completion.NONE, 200, "I'm alive!");
            case "/health/readiness" ->
                // Answered when the checks' states are known; the checks run on their own threads.
                readiness(exchange);
            default -> inline.start(() -> route(exchange, rawPath, start));
        }
    }

    /** Answers one request; restartable until its first waiting place, as {@link InlineFirst} needs. */
    private void route(Exchange exchange, String rawPath, long start) {
        String endpoint = "proxy";
        try {
            if (rawPath.equals("/metrics")) {
                // Rendering every meter is too long a job for an event loop.
                Blocking.check("a metrics scrape");
                metrics(exchange);
                return;
            }
            if (ForwardAuth.handles(rawPath)) {
                endpoint = "auth";
                HttpHeaders allowed = forwardAuth.decide(exchange.headers(), rawPath, exchange.rawQuery());
                exchange.answer(200, allowed, NO_BODY, Completion.NONE);
            } else {
                String route = RoutePath.of(rawPath);
                if (management.handles(route)) {
                    endpoint = "management";
                    // Every management call reads or writes the database.
                    Blocking.check("the management API");
                    manage(exchange, route, admin(exchange, route), start);
                    return;
                } else if (ModelsEndpoint.PATHS.contains(route)) {
                    endpoint = "models";
                    JsonResponses.write(exchange, Completion.NONE, 200, models.list(exchange.headers(), route));
                } else {
                    // The proxy answers asynchronously: its outcome and latency are recorded when the answer has
                    // been streamed, not when forwarding starts.
                    proxy.handle(exchange, route, measured(exchange, start),
                            failure -> refuse(exchange, "proxy", start, failure));
                    return;
                }
            }
            metrics.recordRequest(endpoint, "allowed", "none", since(start));
        } catch (Blocking.WouldBlockException e) {
            throw e;
        } catch (Throwable t) {
            refuse(exchange, endpoint, start, t);
        }
    }

    /** A management call: its body read with the proxy's bounds, then served on a worker (it talks to the database). */
    private void manage(Exchange exchange, String route, AuthResult admin, long start) {
        management.checkMethod(exchange.method(), route);
        Consumer<Throwable> refuse = failure -> refuse(exchange, "management", start, failure);
        Consumer<byte[]> serve = body -> {
            try {
                Object answer = management.handle(exchange.method(), route, exchange.rawQuery(), body, admin);
                JsonResponses.write(exchange, Completion.NONE, 200, answer);
                metrics.recordRequest("management", "allowed", "none", since(start));
            } catch (Throwable t) {
                refuse.accept(t);
            }
        };
        if (!exchange.declaresBody()) {
            serve.accept(NO_BODY);
            return;
        }
        bodies.read(exchange, body -> inline.proceed(() -> {
            Blocking.check("the management API");
            serve.accept(body);
        }), refuse);
    }

    /** Answers a refusal or a failure, counting and logging it; never a token, a body or a stack trace to the caller. */
    private void refuse(Exchange exchange, String endpoint, long start, Throwable failure) {
        String rawPath = exchange.rawPath();
        if (failure instanceof LimitRefused limited && !exchange.isCommitted()) {
            metrics.recordRequest(endpoint, "denied", "rate_limited", since(start));
            Refusal refusal = limited.refusal();
            HttpHeaders headers = new DefaultHttpHeaders();
            refusal.headers().forEach(headers::set);
            JsonResponses.write(exchange, Completion.NONE, Refusal.STATUS, headers, JsonResponses.errorBody(
                    refusal.message(), Refusal.ERROR_TYPE, null, Integer.toString(Refusal.STATUS)));
            return;
        }
        int status;
        String reason;
        String message;
        if (failure instanceof AuthException e) {
            status = e.status();
            reason = e.reason();
            message = e.getMessage();
        } else if (failure instanceof HttpError e) {
            status = e.status();
            reason = e.reason();
            message = e.getMessage();
        } else {
            metrics.recordRequest(endpoint, "error", "internal", since(start));
            if (exchange.isCommitted()) {
                // A stream broke after its first bytes went out (usually the caller or upstream hung up).
                LOG.info("{} {} ended early: {}", exchange.method(), rawPath, failure.toString());
                exchange.abort();
            } else {
                LOG.error("{} {} failed", exchange.method(), rawPath, failure);
                JsonResponses.write(exchange, Completion.NONE, 500, JsonResponses.errorBody("Internal server error",
                        "internal_server_error", null, "500"));
            }
            return;
        }
        boolean upstreamFailed = status == 502 || status == 504;
        metrics.recordRequest(endpoint, upstreamFailed ? "error" : "denied", upstreamFailed ? "upstream" : reason,
                since(start));
        if (status >= 500) {
            LOG.warn("{} {} failed: {} {} ({})", exchange.method(), rawPath, status, reason, message);
        } else {
            // DEBUG, not INFO: a flood of bad tokens must not become a flood of log lines; /metrics counts
            // refusals by reason.
            LOG.debug("{} {} refused: {} {} ({})", exchange.method(), rawPath, status, reason, message);
        }
        if (failure.getCause() != null) {
            LOG.debug("cause of {}: {}", reason, failure.getCause().getClass().getName());
        }
        if (exchange.isCommitted()) {
            exchange.abort();
            return;
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        if (status == 503 && "body_reads_full".equals(reason)) {
            headers.set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        JsonResponses.write(exchange, Completion.NONE, status, headers, failure instanceof AuthException e
                ? JsonResponses.errorBody(e) : JsonResponses.errorBody((HttpError) failure));
    }

    /**
     * The management API is for proxy admins and the master key; a {@code proxy_admin_viewer} may only read
     * ({@code GET} on an {@code /info} or {@code /list} route), which shows every row, as LiteLLM shows it to that role.
     * Roles whose LiteLLM rights depend on owning the row ({@code org_admin}, {@code internal_user_viewer}, members)
     * are refused: this API makes no per-row ownership checks. The authenticator has checked the route.
     */
    private AuthResult admin(Exchange exchange, String route) {
        AuthResult caller = authenticator.authenticate(CallerRequests.of(credentials, exchange.headers(), route,
                RequestedAccess.NONE));
        if (caller.proxyAdmin()) {
            return caller;
        }
        if (caller.role() == ProxyRole.PROXY_ADMIN_VIEWER && ReadRoutes.isRead(route)
                && exchange.method().equals("GET")) {
            return caller;
        }
        if (caller.role() == ProxyRole.PROXY_ADMIN_VIEWER) {
            throw AuthException.forbidden("viewer_route_not_allowed", "user not allowed to access this route, role= "
                    + caller.role() + ". Trying to access: " + exchange.method() + " " + route);
        }
        throw AuthException.forbidden("not_proxy_admin",
                "Only proxy admins can call " + route + "; your role is " + caller.role());
    }

    /** Answers within {@link ReadinessMonitor}'s bound from the checks' fresh or last known states. */
    private void readiness(Exchange exchange) {
        readiness.states().whenComplete((states, failure) -> {
            Map<String, String> checks = new LinkedHashMap<>();
            boolean ready = failure == null;
            if (states != null) {
                for (Map.Entry<String, Boolean> state : states.entrySet()) {
                    ready &= state.getValue();
                    checks.put(state.getKey(), state.getValue() ? "ok" : "unavailable");
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", ready ? "healthy" : "unhealthy");
            body.put("checks", checks);
            JsonResponses.write(exchange, Completion.NONE, ready ? 200 : 503, body);
        });
    }

    private void metrics(Exchange exchange) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.answer(200, headers, metrics.scrape().getBytes(StandardCharsets.UTF_8), Completion.NONE);
    }

    private Completion measured(Exchange exchange, long start) {
        return Completion.of(() -> {
            boolean upstreamFailed = exchange.status() == 502 || exchange.status() == 504;
            metrics.recordRequest("proxy", upstreamFailed ? "error" : "allowed", upstreamFailed ? "upstream" : "none",
                    since(start));
        }, failure -> metrics.recordRequest("proxy", "error", "stream", since(start)));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
