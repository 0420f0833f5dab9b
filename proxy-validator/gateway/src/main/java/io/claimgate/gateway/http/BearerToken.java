package io.claimgate.gateway.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/** The bearer credential of a request, as LiteLLM reads it from {@code Authorization}. */
public final class BearerToken {

    private static final String PREFIX = "bearer ";

    private BearerToken() {
    }

    /**
     * The token after {@code Bearer } (scheme case-insensitive), or {@code null} when there is none or another
     * scheme is used: the authenticator then answers 401, as for a missing token.
     */
    public static String from(HttpFields headers) {
        String value = headers.get(HttpHeader.AUTHORIZATION);
        if (value == null || value.length() <= PREFIX.length()
                || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        String token = value.substring(PREFIX.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
