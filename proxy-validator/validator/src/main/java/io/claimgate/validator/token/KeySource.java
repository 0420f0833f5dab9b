package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.JWK;

import java.util.List;

/**
 * Where the verifier gets the public keys it trusts. Keys never come from the token itself.
 *
 * <p>Implementations are thread-safe. {@link #keysFor(String)} is on the per-request path: it answers from memory
 * and fetches only when it has nothing usable or the {@code kid} is unknown (bounded by the implementation).
 */
public interface KeySource extends AutoCloseable {

    /**
     * The trusted keys that may have signed a token with this {@code kid}, chosen by {@link KeySet}'s rule.
     *
     * @param kid the token's {@code kid}, or {@code null} when it has none
     * @return the candidates, empty when no key matches
     * @throws io.claimgate.validator.AuthException 503 {@code keys_unavailable} when the source has no usable key
     *                                              at all (for example every JWKS URL is down past the stale window)
     */
    List<JWK> keysFor(String kid);

    /** Every key currently usable, for diagnostics; empty when none is. Never fetches. */
    KeySet currentKeys();

    /**
     * Whether a token with this {@code kid} that verified earlier may still be accepted without verifying it again:
     * a currently usable key still serves that {@code kid} ({@link KeySet#candidates}). False once the key has left
     * the key set at a refresh, or the keys are past their stale window. Never fetches; on the per-request path of
     * every remembered token, so implementations answer from memory without allocating.
     */
    default boolean holds(String kid) {
        return !currentKeys().candidates(kid).isEmpty();
    }

    /** Stops background work. The default does nothing. */
    @Override
    default void close() {
    }
}
