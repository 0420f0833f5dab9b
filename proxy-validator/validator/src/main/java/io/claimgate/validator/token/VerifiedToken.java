package io.claimgate.validator.token;

import java.util.Map;

/**
 * A token whose signature, lifetime, audience, issuer and type were verified.
 *
 * @param claims    the payload as plain JSON types (String, Long/Double/BigInteger, Boolean, List, Map, null);
 *                  {@code exp}, {@code iat} and {@code nbf} stay epoch-second numbers. The top-level map is
 *                  unmodifiable; treat nested values as read-only too
 * @param tokenHash SHA-256 of the whole token as sent, lower-case hex: a key for caches and logs that never holds
 *                  the token itself
 * @param expiresAt the {@code exp} claim in epoch seconds
 * @param keyId     the {@code kid} of the key that verified the signature, or {@code null} when that key has none
 */
public record VerifiedToken(Map<String, Object> claims, String tokenHash, long expiresAt, String keyId) {

    @Override
    public String toString() {
        // Claims may hold personal data; logs get the hash only.
        return "VerifiedToken[hash=" + tokenHash + ", exp=" + expiresAt + ", kid=" + keyId + "]";
    }
}
