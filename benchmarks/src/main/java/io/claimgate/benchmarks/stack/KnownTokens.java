package io.claimgate.benchmarks.stack;

import java.util.HashMap;
import java.util.Map;

/**
 * The probes' stand-in for authentication: the header value must be materialised as a String and hashed, as the
 * gateway's must (its verified-token cache is keyed by it), so neither stack can skip decoding the 1.8 KB value.
 */
final class KnownTokens {

    private static final String BEARER = "Bearer ";

    private final Map<String, Boolean> known = new HashMap<>();

    private KnownTokens(String token) {
        known.put(token, Boolean.TRUE);
    }

    static KnownTokens of(String token) {
        return new KnownTokens(token);
    }

    /** Whether an {@code Authorization} value carries the known bearer token. */
    boolean admits(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && known.containsKey(authorization.substring(BEARER.length()));
    }
}
