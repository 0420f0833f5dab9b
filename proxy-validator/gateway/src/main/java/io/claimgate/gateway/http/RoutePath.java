package io.claimgate.gateway.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns what a client or a front proxy says the path is into the route the authenticator checks.
 *
 * <p>The route checked must be the route the upstream serves, so anything an upstream might resolve differently is
 * refused rather than normalised: dot segments ({@code /chat/completions/../team/new}), encoded separators, dots,
 * backslashes or percent signs ({@code %2F}, {@code %2e}, {@code %5C}, {@code %25}), empty segments ({@code //}),
 * control characters. What is left decodes unambiguously. The query string and fragment are dropped, and one trailing
 * slash is removed because LiteLLM (FastAPI) serves {@code /team/new/} as {@code /team/new}.
 */
public final class RoutePath {

    private RoutePath() {
    }

    /**
     * The route for a raw path or URI ({@code /v1/chat/completions?x=1}, or an absolute URL as some proxies send).
     *
     * @throws HttpError 400 {@code bad_request_error} for a path that could mean two things
     */
    public static String of(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid("no request path");
        }
        String path = raw.trim();
        int schemeEnd = path.indexOf("://");
        if (schemeEnd > 0 && schemeEnd < path.indexOf('/')) {
            int slash = path.indexOf('/', schemeEnd + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        if (!path.startsWith("/")) {
            throw invalid("the path must start with '/'");
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%2e") || lower.contains("%5c") || lower.contains("%25")
                || lower.contains("%00")) {
            throw invalid("encoded '/', '.', '\\', '%' or NUL in the path");
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("malformed percent-encoding in the path");
        }
        if (decoded.length() > 1 && decoded.endsWith("/")) {
            decoded = decoded.substring(0, decoded.length() - 1);
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw invalid("control character or backslash in the path");
            }
        }
        if (decoded.equals("/")) {
            return decoded;
        }
        for (String segment : decoded.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw invalid("empty, '.' or '..' segment in the path");
            }
        }
        return decoded;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static HttpError invalid(String why) {
        return JsonResponses.badRequest("invalid_path", "Invalid request path: " + why, "path");
    }
}
