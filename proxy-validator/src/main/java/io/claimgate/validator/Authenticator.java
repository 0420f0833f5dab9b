package io.claimgate.validator;

import io.claimgate.model.AuthResult;

/**
 * Establishes who is calling and whether they may make this request.
 *
 * <p>{@code ProxyAuthenticator} is the JWT implementation; the gateway composes it with the master key. Implementations
 * are thread-safe and fail only with {@link AuthException}.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @return the caller's identity and objects when the request is allowed
     * @throws AuthException when it is not, carrying the HTTP status and LiteLLM-shaped message
     */
    AuthResult authenticate(AuthRequest request);
}
