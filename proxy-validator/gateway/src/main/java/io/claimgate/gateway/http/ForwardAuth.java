package io.claimgate.gateway.http;

import io.claimgate.gateway.config.RouteSource;
import io.claimgate.gateway.request.RequestReader;
import io.claimgate.gateway.request.RequestedAccess;
import io.claimgate.model.AuthResult;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * {@code GET|POST /auth}: the decision alone, for a front proxy that forwards by itself (nginx {@code auth_request},
 * Traefik {@code forwardAuth}, Envoy {@code ext_authz} over HTTP).
 *
 * <p>The route comes from one place, {@code gateway.forward_auth.route_header}: the header the front proxy sets from
 * the request it is about to forward, or for Envoy the path after {@code /auth}. A front proxy may also pass a
 * client's own copy of the other header, so every other place that names a route must name the same one, else 400:
 * the gateway never decides about a route the front proxy will not forward. The route is checked like the reverse
 * proxy's (ambiguous paths refused) and the model is read from it (path and {@code model} query parameter); the body
 * is never read, since front proxies do not send it, so {@code X-Model} stands for it and must agree with the route.
 */
public final class ForwardAuth {

    public static final String PATH = "/auth";
    public static final String FORWARDED_URI = "X-Forwarded-Uri";
    public static final String ORIGINAL_URI = "X-Original-URI";
    public static final String MODEL = "X-Model";

    /** A route and its raw query string, as one place names them. */
    record NamedRoute(String route, String rawQuery) {
    }

    private final Authenticator authenticator;
    private final RouteSource source;
    private final BearerToken credentials;

    public ForwardAuth(Authenticator authenticator, RouteSource source) {
        this(authenticator, source, BearerToken.BUILT_IN);
    }

    /** @param credentials where the caller's credential is read from ({@code litellm_key_header_name}) */
    public ForwardAuth(Authenticator authenticator, RouteSource source, BearerToken credentials) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.source = Objects.requireNonNull(source, "source");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** Whether this path is the forward-auth endpoint (with or without Envoy's appended path). */
    public static boolean handles(String rawPath) {
        return rawPath.equals(PATH) || rawPath.startsWith(PATH + "/");
    }

    /**
     * The headers of the 200 answer when allowed: the identity headers, and no caching.
     *
     * @param path  the {@code /auth} request's raw path
     * @param query the {@code /auth} request's raw query, or {@code null}
     * @throws io.claimgate.validator.AuthException when refused, for the caller to render
     * @throws HttpError                            when the route or model cannot be read unambiguously (400)
     */
    public HttpHeaders decide(HttpHeaders headers, String path, String query) {
        NamedRoute named = route(source, RequestHeaders.single(headers, FORWARDED_URI),
                RequestHeaders.single(headers, ORIGINAL_URI),
                path.length() > PATH.length() ? path.substring(PATH.length()) : null, query);
        RequestedAccess access = RequestReader.fromRoute(named.route(), named.rawQuery());
        AuthRequest authRequest = CallerRequests.of(credentials, headers, named.route(),
                access.agreeingWith(MODEL, RequestHeaders.single(headers, MODEL)));
        AuthResult result = authenticator.authenticate(authRequest);
        HttpHeaders answer = new DefaultHttpHeaders();
        IdentityHeaders.of(result).forEach(answer::set);
        answer.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return answer;
    }

    /**
     * The route to decide about: from the configured source, and the same in every other place that names one.
     *
     * @param forwardedUri  {@code X-Forwarded-Uri}, or {@code null}
     * @param originalUri   {@code X-Original-URI}, or {@code null}
     * @param pathAfterAuth what follows {@code /auth} in the request path, or {@code null}
     * @param query         the {@code /auth} request's own query string (Envoy's original query), or {@code null}
     * @throws HttpError 400 when the source names nothing, or two places name different routes or queries
     */
    static NamedRoute route(RouteSource source, String forwardedUri, String originalUri, String pathAfterAuth,
                            String query) {
        NamedRoute fromForwarded = forwardedUri == null ? null : named(forwardedUri);
        NamedRoute fromOriginal = originalUri == null ? null : named(originalUri);
        NamedRoute fromPath = pathAfterAuth == null ? null : new NamedRoute(RoutePath.of(pathAfterAuth), query);
        NamedRoute chosen = switch (source) {
            case X_FORWARDED_URI -> fromForwarded;
            case X_ORIGINAL_URI -> fromOriginal;
            case PATH -> fromPath;
        };
        if (chosen == null) {
            throw JsonResponses.badRequest("route_missing", "No route to authorize: this gateway reads it from "
                    + describe(source) + " (gateway.forward_auth.route_header)", null);
        }
        List<NamedRoute> others = new ArrayList<>(3);
        others.add(fromForwarded);
        others.add(fromOriginal);
        others.add(fromPath);
        for (NamedRoute other : others) {
            if (other != null && !other.equals(chosen)) {
                throw JsonResponses.badRequest("conflicting_routes", "X-Forwarded-Uri, X-Original-URI and the path "
                        + "after /auth name different routes; the front proxy must overwrite every one it sends",
                        null);
            }
        }
        return chosen;
    }

    private static NamedRoute named(String uri) {
        String route = RoutePath.of(uri);
        int q = uri.indexOf('?');
        if (q < 0) {
            return new NamedRoute(route, null);
        }
        int hash = uri.indexOf('#', q);
        String query = hash < 0 ? uri.substring(q + 1) : uri.substring(q + 1, hash);
        return new NamedRoute(route, query.isEmpty() ? null : query);
    }

    private static String describe(RouteSource source) {
        return switch (source) {
            case X_FORWARDED_URI -> "X-Forwarded-Uri";
            case X_ORIGINAL_URI -> "X-Original-URI";
            case PATH -> "the path after /auth";
        };
    }

}
