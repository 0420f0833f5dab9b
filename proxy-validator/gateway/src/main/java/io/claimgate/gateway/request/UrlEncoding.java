package io.claimgate.gateway.request;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Python's {@code urllib.parse.unquote_plus}, which Starlette applies to query strings and urlencoded form bodies
 * after reading their bytes as ISO-8859-1: {@code +} is a space, runs of {@code %XX} are decoded as UTF-8 (invalid
 * sequences become U+FFFD), and a {@code %} not followed by two hex digits stays as it is. Decoding exactly as the
 * upstream does matters: a name decoded differently here would be authorised under a name the upstream never runs.
 */
final class UrlEncoding {

    private UrlEncoding() {
    }

    /** Decodes {@code latin1}, a string whose chars are the raw bytes (ISO-8859-1) of an encoded name or value. */
    static String unquotePlus(String latin1) {
        if (latin1.indexOf('%') < 0 && latin1.indexOf('+') < 0) {
            return latin1;
        }
        StringBuilder out = new StringBuilder(latin1.length());
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        int i = 0;
        while (i < latin1.length()) {
            char c = latin1.charAt(i);
            if (c == '%' && i + 2 < latin1.length() && hex(latin1.charAt(i + 1)) >= 0
                    && hex(latin1.charAt(i + 2)) >= 0) {
                run.write(hex(latin1.charAt(i + 1)) * 16 + hex(latin1.charAt(i + 2)));
                i += 3;
                continue;
            }
            flush(run, out);
            out.append(c == '+' ? ' ' : c);
            i++;
        }
        flush(run, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream run, StringBuilder out) {
        if (run.size() > 0) {
            out.append(new String(run.toByteArray(), StandardCharsets.UTF_8));
            run.reset();
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
