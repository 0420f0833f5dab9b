package io.claimgate.validator;

import io.claimgate.model.AuthResult;

/**
 * Establishes who is calling and whether they may make this request, in two steps so that a gateway reads nothing a
 * caller sends beyond the credential and the route until the caller is known: {@link #identify} before the body,
 * {@link #authorize} after it.
 *
 * <p>{@code ProxyAuthenticator} is the JWT implementation; the gateway composes it with the master key. Implementations
 * are thread-safe and fail only with {@link AuthException}.
 */
public interface Authenticator {

    /**
     * The first step: the credential is verified and its role may call the route.
     *
     * @param token the bearer credential, or {@code null} when none was sent
     * @param route the request path without query string
     * @throws AuthException 401 for a missing or bad credential, 403 for a route the caller may not call
     */
    Caller identify(String token, String route);

    /**
     * The second step: the models, team and end user the request names, and the objects and budgets behind them.
     *
     * @param caller  what {@link #identify} returned for this request
     * @param request the same token and route (another route is refused), with what the body named
     * @return the caller's identity and objects when the request is allowed
     * @throws AuthException when it is not, carrying the HTTP status and LiteLLM-shaped message
     */
    AuthResult authorize(Caller caller, AuthRequest request);

    /** Both steps at once, for requests whose every input is known up front (forward-auth, management calls). */
    default AuthResult authenticate(AuthRequest request) {
        return authorize(identify(request.token(), request.route()), request);
    }
}
