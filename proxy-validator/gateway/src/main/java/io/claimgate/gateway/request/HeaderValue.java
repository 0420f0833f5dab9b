package io.claimgate.gateway.request;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A header value with parameters ({@code multipart/form-data; boundary=x}, {@code form-data; name="model"}), parsed
 * as python-multipart's {@code parse_options_header} reads it: the type lower-cased, parameter names case-insensitive,
 * values quoted or not. What two parsers could read differently is refused instead: a repeated parameter, an escape
 * inside quotes, an RFC 2231 {@code name*=} parameter (python-multipart decodes it; a careless reader would not).
 *
 * @param type       the part before the first {@code ;}, trimmed and lower-cased
 * @param parameters parameter values by lower-cased name
 */
record HeaderValue(String type, Map<String, String> parameters) {

    static HeaderValue parse(String value, String what) {
        int semicolon = value.indexOf(';');
        String type = (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        Map<String, String> parameters = new HashMap<>();
        int i = semicolon < 0 ? value.length() : semicolon + 1;
        while (i < value.length()) {
            while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            int eq = value.indexOf('=', i);
            int next = value.indexOf(';', i);
            if (eq < 0 || next >= 0 && next < eq) {
                // A parameter without a value carries nothing python-multipart uses; skip it.
                i = next < 0 ? value.length() : next + 1;
                continue;
            }
            String name = value.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            if (name.endsWith("*")) {
                throw BadRequest.invalidForm("Extended (RFC 2231) parameters are not accepted in " + what);
            }
            int end;
            String parameter;
            int start = eq + 1;
            while (start < value.length() && value.charAt(start) == ' ') {
                start++;
            }
            if (start < value.length() && value.charAt(start) == '"') {
                int close = value.indexOf('"', start + 1);
                if (close < 0) {
                    throw BadRequest.invalidForm("Unterminated quoted parameter in " + what);
                }
                parameter = value.substring(start + 1, close);
                if (parameter.indexOf('\\') >= 0) {
                    throw BadRequest.invalidForm("Escaped quoted parameters are not accepted in " + what);
                }
                int after = value.indexOf(';', close);
                if (!value.substring(close + 1, after < 0 ? value.length() : after).isBlank()) {
                    throw BadRequest.invalidForm("Unexpected text after a quoted parameter in " + what);
                }
                end = after < 0 ? value.length() : after;
            } else {
                end = next < 0 ? value.length() : next;
                parameter = value.substring(start, end).strip();
            }
            if (parameters.put(name, parameter) != null) {
                throw BadRequest.invalidForm("The parameter '" + name + "' is repeated in " + what);
            }
            i = end + 1;
        }
        return new HeaderValue(type, parameters);
    }
}
