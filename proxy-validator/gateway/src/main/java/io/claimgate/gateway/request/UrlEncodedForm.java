package io.claimgate.gateway.request;

import java.nio.charset.StandardCharsets;

/**
 * An {@code application/x-www-form-urlencoded} body, split as Starlette's form parser (python-multipart's
 * QuerystringParser) splits it and decoded with {@link UrlEncoding#unquotePlus}. python-multipart also splits on
 * {@code ;} in some cases; rather than copy that quirk, a body with a raw {@code ;} is refused.
 */
final class UrlEncodedForm {

    private UrlEncodedForm() {
    }

    static FormFields read(byte[] body) {
        if (indexOf(body, (byte) ';', 0, body.length) < body.length) {
            throw BadRequest.invalidForm("A urlencoded body must separate fields with '&' only");
        }
        FormFields fields = new FormFields();
        int start = 0;
        while (start < body.length) {
            int end = indexOf(body, (byte) '&', start, body.length);
            if (end > start) {
                field(body, start, end, fields);
            }
            start = end + 1;
        }
        return fields;
    }

    private static void field(byte[] body, int start, int end, FormFields fields) {
        int eq = indexOf(body, (byte) '=', start, end);
        boolean hasValue = eq < end;
        String name = UrlEncoding.unquotePlus(new String(body, start, (hasValue ? eq : end) - start,
                StandardCharsets.ISO_8859_1));
        if (BodyFields.NAMES.contains(name)) {
            String value = hasValue ? UrlEncoding.unquotePlus(new String(body, eq + 1, end - eq - 1,
                    StandardCharsets.ISO_8859_1)) : "";
            fields.add(name, value);
        }
    }

    /** The index of {@code b} in {@code [from, to)}, or {@code to}. */
    private static int indexOf(byte[] body, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return to;
    }
}
