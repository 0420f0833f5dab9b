package io.claimgate.gateway.http;

import io.netty.handler.codec.http.HttpHeaders;

/** Header values the gateway decides on, read so that no two hops can read them differently. */
public final class RequestHeaders {

    private RequestHeaders() {
    }

    /**
     * The one value of a header, trimmed, or {@code null} when absent or blank; a header sent twice with different
     * values could be read either way (the upstream might act on the one not checked), so it is refused.
     *
     * @throws HttpError 400 {@code conflicting_headers}
     */
    public static String single(HttpHeaders headers, String name) {
        String value = null;
        for (String v : headers.getAll(name)) {
            String trimmed = blankToNull(v);
            if (trimmed == null) {
                continue;
            }
            if (value != null && !value.equals(trimmed)) {
                throw JsonResponses.badRequest("conflicting_headers", name + " is sent twice with different values",
                        null);
            }
            value = trimmed;
        }
        return value;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
