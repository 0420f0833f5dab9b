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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request to its endpoint and turns every failure into LiteLLM's error JSON.
 *
 * <p>Health and metrics are public; {@code /auth} decides for a front proxy; management routes need a proxy admin;
 * {@code /models} lists models; everything else is authenticated and forwarded. An {@link AuthException} or an
 * {@link HttpError} is the client's answer; any other exception is a bug in the gateway, logged with its stack trace
 * and answered with a bare 500 that says nothing about it. A refusal of a request whose body was not read closes the
 * connection, so that the unread bytes are never parsed as a next request.
 */
public final class GatewayHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final Authenticator authenticator;
    private final ForwardAuth forwardAuth;
    private final ReverseProxy proxy;
    private final ModelsEndpoint models;
    private final ManagementApi management;
    private final ReadinessMonitor readiness;
    private final GatewayMetrics metrics;
    private final BearerToken credentials;
    private final InlineFirst inline;

    /**
     * @param credentials where the caller's credential is read from ({@code litellm_key_header_name})
     * @param workers     runs what must wait (database, key fetches, Redis) off the selector threads
     */
    public GatewayHandler(Authenticator authenticator, ReverseProxy proxy, ModelsEndpoint models,
                          ManagementApi management, ReadinessMonitor readiness, RouteSource forwardAuthRoute,
                          GatewayMetrics metrics, BearerToken credentials, Executor workers) {
        this.inline = new InlineFirst(workers);
        this.authenticator = authenticator;
        this.credentials = credentials;
        this.forwardAuth = new ForwardAuth(authenticator, forwardAuthRoute, credentials);
        this.proxy = proxy;
        this.models = models;
        this.management = management;
        this.readiness = readiness;
        this.metrics = metrics;
    }

    /**
     * Non-blocking: Jetty calls {@link #handle} on the selector thread that parsed the request, and every endpoint
     * either answers from memory there or moves to a worker ({@link InlineFirst}) before it would wait.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String rawPath = request.getHttpURI().getPath();
        switch (rawPath) {
            case "/health/liveliness", "/health/liveness" -> {
                // LiteLLM answers with this JSON string; probes written for it keep working.
                JsonResponses.write(response, callback, 200, "I'm alive!");
                return true;
            }
            case "/health/readiness" -> {
                // Answered when the checks' states are known; the checks run on their own threads.
                readiness(response, callback);
                return true;
            }
            default -> inline.start(() -> route(request, response, callback, rawPath, start));
        }
        return true;
    }

    /** Answers one request; restartable until its first waiting place, as {@link InlineFirst} needs. */
    private void route(Request request, Response response, Callback callback, String rawPath, long start) {
        String endpoint = "proxy";
        try {
            if (rawPath.equals("/metrics")) {
                // Rendering every meter is too long a job for a selector thread.
                Blocking.check("a metrics scrape");
                metrics(response, callback);
                return;
            }
            if (ForwardAuth.handles(rawPath)) {
                endpoint = "auth";
                forwardAuth.handle(request, response, callback);
            } else {
                String route = RoutePath.of(rawPath);
                if (management.handles(route)) {
                    endpoint = "management";
                    // Every management call reads or writes the database.
                    Blocking.check("the management API");
                    management.handle(request, response, callback, route, admin(request, route));
                } else if (ModelsEndpoint.PATHS.contains(route)) {
                    endpoint = "models";
                    models.handle(request, response, callback, route);
                } else {
                    // The proxy answers asynchronously: its outcome and latency are recorded when the answer has
                    // been streamed, not when forwarding starts.
                    proxy.handle(request, route, response, measured(callback, response, start),
                            failure -> refuse(request, response, callback, "proxy", start, failure));
                    return;
                }
            }
            metrics.recordRequest(endpoint, "allowed", "none", since(start));
        } catch (Blocking.WouldBlockException e) {
            throw e;
        } catch (Throwable t) {
            refuse(request, response, callback, endpoint, start, t);
        }
    }

    /** Answers a refusal or a failure, counting and logging it; never a token, a body or a stack trace to the caller. */
    private void refuse(Request request, Response response, Callback callback, String endpoint, long start,
                        Throwable failure) {
        String rawPath = request.getHttpURI().getPath();
        if (failure instanceof LimitRefused limited && !response.isCommitted()) {
            metrics.recordRequest(endpoint, "denied", "rate_limited", since(start));
            Refusal refusal = limited.refusal();
            response.getHeaders().clear();
            refusal.headers().forEach(response.getHeaders()::put);
            respond(request, response, callback, Refusal.STATUS, JsonResponses.errorBody(refusal.message(),
                    Refusal.ERROR_TYPE, null, Integer.toString(Refusal.STATUS)));
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
            if (response.isCommitted()) {
                // A stream broke after its first bytes went out (usually the caller or upstream hung up).
                LOG.info("{} {} ended early: {}", request.getMethod(), rawPath, failure.toString());
                callback.failed(failure);
            } else {
                LOG.error("{} {} failed", request.getMethod(), rawPath, failure);
                respond(request, response, callback, 500, JsonResponses.errorBody("Internal server error",
                        "internal_server_error", null, "500"));
            }
            return;
        }
        boolean upstreamFailed = status == 502 || status == 504;
        metrics.recordRequest(endpoint, upstreamFailed ? "error" : "denied", upstreamFailed ? "upstream" : reason,
                since(start));
        if (status >= 500) {
            LOG.warn("{} {} failed: {} {} ({})", request.getMethod(), rawPath, status, reason, message);
        } else {
            // DEBUG, not INFO: a flood of bad tokens must not become a flood of log lines; /metrics counts
            // refusals by reason.
            LOG.debug("{} {} refused: {} {} ({})", request.getMethod(), rawPath, status, reason, message);
        }
        if (failure.getCause() != null) {
            LOG.debug("cause of {}: {}", reason, failure.getCause().getClass().getName());
        }
        if (response.isCommitted()) {
            callback.failed(failure);
            return;
        }
        response.getHeaders().clear();
        if (status == 503 && "body_reads_full".equals(reason)) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        respond(request, response, callback, status, failure instanceof AuthException e ? JsonResponses.errorBody(e)
                : JsonResponses.errorBody((HttpError) failure));
    }

    private static void respond(Request request, Response response, Callback callback, int status, Object body) {
        if (BodyReader.leavesBodyUnread(request)) {
            // The unread body must not be taken for the next request; the answer must still reach the client.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            JsonResponses.write(response, LingeringClose.after(request, callback), status, body);
        } else {
            JsonResponses.write(response, callback, status, body);
        }
    }

    /**
     * The management API is for proxy admins and the master key; a {@code proxy_admin_viewer} may only read
     * ({@code GET} on an {@code /info} or {@code /list} route), which shows every row, as LiteLLM shows it to that role.
     * Roles whose LiteLLM rights depend on owning the row ({@code org_admin}, {@code internal_user_viewer}, members)
     * are refused: this API makes no per-row ownership checks. The authenticator has checked the route.
     */
    private AuthResult admin(Request request, String route) {
        AuthResult caller = authenticator.authenticate(CallerRequests.of(credentials, request.getHeaders(), route,
                RequestedAccess.NONE));
        if (caller.proxyAdmin()) {
            return caller;
        }
        if (caller.role() == ProxyRole.PROXY_ADMIN_VIEWER && ReadRoutes.isRead(route)
                && HttpMethod.GET.is(request.getMethod())) {
            return caller;
        }
        if (caller.role() == ProxyRole.PROXY_ADMIN_VIEWER) {
            throw AuthException.forbidden("viewer_route_not_allowed", "user not allowed to access this route, role= "
                    + caller.role() + ". Trying to access: " + request.getMethod() + " " + route);
        }
        throw AuthException.forbidden("not_proxy_admin",
                "Only proxy admins can call " + route + "; your role is " + caller.role());
    }

    /** Answers within {@link ReadinessMonitor}'s bound from the checks' fresh or last known states. */
    private void readiness(Response response, Callback callback) {
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
            JsonResponses.write(response, callback, ready ? 200 : 503, body);
        });
    }

    private void metrics(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        response.write(true, java.nio.ByteBuffer.wrap(metrics.scrape().getBytes(StandardCharsets.UTF_8)), callback);
    }

    private Callback measured(Callback callback, Response response, long start) {
        return Callback.from(() -> {
            boolean upstreamFailed = response.getStatus() == 502 || response.getStatus() == 504;
            metrics.recordRequest("proxy", upstreamFailed ? "error" : "allowed", upstreamFailed ? "upstream" : "none",
                    since(start));
            callback.succeeded();
        }, failure -> {
            metrics.recordRequest("proxy", "error", "stream", since(start));
            callback.failed(failure);
        });
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
