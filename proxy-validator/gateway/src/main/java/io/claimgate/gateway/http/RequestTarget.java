package io.claimgate.gateway.http;

import java.util.Locale;

/**
 * The request target of a request line split into its raw path and raw query, both as sent (what is forwarded). The
 * origin form ({@code /v1/chat/completions?x=1}) and the absolute form a proxy may send ({@code http://host/path})
 * are accepted; the asterisk and authority forms, a fragment, and anything not starting with {@code /} are refused:
 * no upstream is meant to act on them, and two readers could split them differently.
 */
record RequestTarget(String rawPath, String rawQuery) {

    /** @throws HttpError 400 for a target that is not a path */
    static RequestTarget of(String uri) {
        String target = uri;
        if (!target.startsWith("/")) {
            int schemeEnd = target.indexOf("://");
            String scheme = schemeEnd < 0 ? "" : target.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw invalid();
            }
            int slash = target.indexOf('/', schemeEnd + 3);
            int question = target.indexOf('?', schemeEnd + 3);
            if (slash < 0 || (question >= 0 && question < slash)) {
                throw invalid();
            }
            target = target.substring(slash);
        }
        if (target.indexOf('#') >= 0) {
            throw invalid();
        }
        int question = target.indexOf('?');
        if (question < 0) {
            return new RequestTarget(target, null);
        }
        String query = target.substring(question + 1);
        return new RequestTarget(target.substring(0, question), query.isEmpty() ? null : query);
    }

    private static HttpError invalid() {
        return JsonResponses.badRequest("invalid_request_target", "Invalid request target: send a path starting "
                + "with '/'", "path");
    }
}
