package io.claimgate.gateway.http;

import io.claimgate.gateway.request.RequestedAccess;
import io.claimgate.validator.AuthRequest;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The one way a handler turns an HTTP request into the {@link AuthRequest} the authenticator decides on: the
 * credential ({@link BearerToken}), the route, the team header LiteLLM reads, and what the request names (models, end
 * user). Every handler asking the same question the same way is what keeps the gateway from authorising one team or
 * model while the upstream acts on another.
 */
public final class CallerRequests {

    /** The header LiteLLM reads to choose among the token's teams. */
    public static final String TEAM_HEADER = "x-litellm-team-id";

    private CallerRequests() {
    }

    /** A request whose body names nothing the decision needs: {@code /models}, the management API. */
    public static AuthRequest of(HttpHeaders headers, String route) {
        return of(headers, route, RequestedAccess.NONE);
    }

    /** A request naming these models and end user. */
    public static AuthRequest of(HttpHeaders headers, String route, RequestedAccess access) {
        return of(BearerToken.from(headers), headers, route, access);
    }

    /** A request naming these models and end user, its credential read from these credential headers. */
    public static AuthRequest of(BearerToken credentials, HttpHeaders headers, String route, RequestedAccess access) {
        return of(credentials.read(headers), headers, route, access);
    }

    /**
     * The team header, trimmed; {@code null} when absent or blank.
     *
     * @throws HttpError 400 when the header is sent more than once with different teams: the upstream might act on
     *                   the one not checked
     */
    static String team(HttpHeaders headers) {
        return RequestHeaders.single(headers, TEAM_HEADER);
    }

    /** A request whose credential the caller has read already ({@link BearerToken}). */
    public static AuthRequest of(String token, HttpHeaders headers, String route, RequestedAccess access) {
        return new AuthRequest(token, route, access.models(), team(headers), access.endUser());
    }
}
