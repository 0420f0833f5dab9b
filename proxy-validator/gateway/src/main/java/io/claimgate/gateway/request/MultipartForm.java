package io.claimgate.gateway.request;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A {@code multipart/form-data} body, split as Starlette's MultiPartParser (python-multipart) splits it, without
 * copying it: the body is scanned for delimiters in place, part headers (small) are decoded, and only the values of
 * fields {@link BodyFields} reads are turned into strings. File parts (audio, images; megabytes) are never copied.
 *
 * <p>Starlette treats a part with a {@code filename} parameter as a file and any other part as a field named by its
 * {@code name} parameter, decoded as UTF-8 (or ISO-8859-1 when that fails). A body this reader cannot split the same
 * unambiguous way (a preamble, a missing or repeated {@code Content-Disposition}, a delimiter that neither closes nor
 * continues, no closing delimiter) is refused.
 */
final class MultipartForm {

    /** Part headers are a few short lines; a larger block is not a form any client sends. */
    private static final int MAX_PART_HEADERS = 8 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private MultipartForm() {
    }

    static FormFields read(HeaderValue contentType, byte[] body) {
        String boundary = contentType.parameters().get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            throw BadRequest.invalidForm("A multipart body needs a boundary of 1 to 200 characters");
        }
        String charset = contentType.parameters().get("charset");
        if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
            throw BadRequest.invalidForm("Only UTF-8 multipart bodies are accepted");
        }
        byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        if (!startsWith(body, 0, dashBoundary)) {
            throw BadRequest.invalidForm("A multipart body must start with its boundary");
        }
        FormFields fields = new FormFields();
        int pos = dashBoundary.length;
        while (true) {
            if (startsWith(body, pos, new byte[] {'-', '-'})) {
                return fields;
            }
            if (!startsWith(body, pos, CRLF)) {
                throw BadRequest.invalidForm("A multipart boundary must be followed by CRLF or '--'");
            }
            int headersStart = pos + 2;
            int headersEnd = indexOf(body, HEADER_END, pos, Math.min(body.length, headersStart + MAX_PART_HEADERS));
            if (headersEnd < 0) {
                throw BadRequest.invalidForm("A multipart part has no end of headers");
            }
            int valueStart = headersEnd + HEADER_END.length;
            int valueEnd = indexOf(body, delimiter, valueStart, body.length);
            if (valueEnd < 0) {
                throw BadRequest.invalidForm("A multipart body must end with its closing boundary");
            }
            String headers = headersEnd <= headersStart ? ""
                    : new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1);
            HeaderValue disposition = disposition(headers);
            String name = disposition.parameters().get("name");
            if (name == null) {
                throw BadRequest.invalidForm("A multipart part has no field name");
            }
            if (BodyFields.NAMES.contains(name)) {
                if (disposition.parameters().containsKey("filename")) {
                    // Starlette would hand LiteLLM an UploadFile as the 'model' (or 'user'), which its auth str()s.
                    throw BadRequest.invalidForm("A file part may not be named '" + name + "'");
                }
                fields.add(name, decode(body, valueStart, valueEnd));
            }
            pos = valueEnd + delimiter.length;
        }
    }

    private static HeaderValue disposition(String headers) {
        HeaderValue disposition = null;
        for (String line : headers.split("\r\n", -1)) {
            int colon = line.indexOf(':');
            if (colon <= 0 || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                throw BadRequest.invalidForm("A multipart part has a malformed header line");
            }
            if (line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-disposition")) {
                if (disposition != null) {
                    throw BadRequest.invalidForm("A multipart part has two Content-Disposition headers");
                }
                disposition = HeaderValue.parse(line.substring(colon + 1), "a multipart Content-Disposition");
            }
        }
        if (disposition == null) {
            throw BadRequest.invalidForm("A multipart part has no Content-Disposition header");
        }
        return disposition;
    }

    /** Starlette's {@code _user_safe_decode}: UTF-8, or ISO-8859-1 when the bytes are not UTF-8. */
    private static String decode(byte[] body, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, from, to - from))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(body, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first index of {@code needle} starting in {@code [from, to - needle.length]}, or -1. */
    private static int indexOf(byte[] body, byte[] needle, int from, int to) {
        byte first = needle[0];
        for (int i = from; i <= to - needle.length; i++) {
            if (body[i] == first && startsWith(body, i, needle)) {
                return i;
            }
        }
        return -1;
    }
}
