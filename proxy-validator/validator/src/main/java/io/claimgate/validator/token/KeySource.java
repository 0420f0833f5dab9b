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

    /** Stops background work. The default does nothing. */
    @Override
    default void close() {
    }
}
