package io.claimgate.gateway.request;

import java.nio.charset.StandardCharsets;

/**
 * The models a query string names, read as Starlette reads it ({@code parse_qsl(..., keep_blank_values=True)} over
 * the ISO-8859-1 bytes): {@code model}, which LiteLLM's handlers take as a parameter that overrides the body, and
 * {@code target_model_names}, which its file and batch routes read. LiteLLM's auth matches these names
 * case-insensitively, so this does too. A repeated name with two different values is refused: Starlette keeps the
 * last one, other readers the first.
 */
final class QueryString {

    private QueryString() {
    }

    static void read(String rawQuery, Reading reading) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        String query = asLatin1Bytes(rawQuery);
        String model = null;
        String targets = null;
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            if (end > start) {
                int eq = query.indexOf('=', start);
                boolean hasValue = eq >= 0 && eq < end;
                String name = UrlEncoding.unquotePlus(query.substring(start, hasValue ? eq : end));
                if (name.equalsIgnoreCase("model") || name.equalsIgnoreCase("target_model_names")) {
                    String value = hasValue ? UrlEncoding.unquotePlus(query.substring(eq + 1, end)) : "";
                    if (name.equalsIgnoreCase("model")) {
                        model = once(model, value, "model");
                    } else {
                        targets = once(targets, value, "target_model_names");
                    }
                }
            }
            start = end + 1;
        }
        reading.model("query string", model);
        reading.modelList(targets);
    }

    private static String once(String seen, String value, String name) {
        if (seen != null && !seen.equals(value)) {
            throw BadRequest.invalidQuery("The query string names '" + name + "' twice with different values");
        }
        return value;
    }

    /** Starlette decodes the raw query bytes as ISO-8859-1; undo a UTF-8 decoding the server may have done. */
    private static String asLatin1Bytes(String rawQuery) {
        for (int i = 0; i < rawQuery.length(); i++) {
            if (rawQuery.charAt(i) > 0x7f) {
                return new String(rawQuery.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return rawQuery;
    }
}
