package io.claimgate.gateway.config;

import java.net.URI;

/**
 * A URL as it may appear in a log line or an error message: scheme, host, port and path only. User info
 * ({@code http://user:password@host}) and the query ({@code ?password=...}, as JDBC URLs carry it) are secrets.
 */
public final class RedactedUri {

    private RedactedUri() {
    }

    /** {@code none} for {@code null}. */
    public static String of(URI uri) {
        if (uri == null) {
            return "none";
        }
        if (uri.getHost() == null) {
            return uri.getScheme() == null ? "(unparsed URL)" : uri.getScheme() + ":(redacted)";
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
    }

    /** A URL given as text, e.g. {@code DATABASE_URL}; never echoes what it cannot parse. */
    public static String of(String url) {
        if (url == null) {
            return "none";
        }
        String text = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        try {
            return of(URI.create(text));
        } catch (IllegalArgumentException e) {
            return "(unparsed URL)";
        }
    }
}
