package io.claimgate.gateway.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.validator.AuthException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model and end user a request names, read the way LiteLLM reads them so that the gateway authorizes what the
 * upstream will serve.
 *
 * <p>Sources, first match wins: the path of Azure/legacy routes ({@code /engines/{model}/...},
 * {@code /openai/deployments/{model}/...}, which LiteLLM lets override the body), then the body: multipart form
 * fields, or JSON. LiteLLM parses any body as JSON whatever its {@code Content-Type}, so any body that starts with
 * <code>{</code> is read as JSON here too, and a JSON body that does not parse, or whose {@code model} or {@code user}
 * is not a string, is refused with 400: letting it through unread would let a caller skip the model check. Other bodies
 * (empty, binary) name no model.
 *
 * @param model   the model, or {@code null}
 * @param endUser the body's {@code user} field, or {@code null}
 */
public record RequestFields(String model, String endUser) {

    private static final Pattern PATH_MODEL = Pattern.compile(
            "^(?:/v1)?/(?:engines|openai/deployments)/(.+?)/(?:chat/completions|completions|embeddings"
                    + "|images/generations|audio/transcriptions|audio/speech)$");
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern FIELD_NAME = Pattern.compile("name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    /** No model, no end user. */
    public static final RequestFields NONE = new RequestFields(null, null);

    /**
     * @throws AuthException 400 {@code bad_request_error} for an unreadable JSON body
     */
    public static RequestFields of(String route, String contentType, byte[] body) {
        RequestFields fromBody = fromBody(contentType, body);
        Matcher m = PATH_MODEL.matcher(route);
        return m.matches() ? new RequestFields(m.group(1), fromBody.endUser) : fromBody;
    }

    private static RequestFields fromBody(String contentType, byte[] body) {
        if (body.length == 0) {
            return NONE;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            return fromMultipart(contentType, body);
        }
        if (startsWithBrace(body)) {
            return fromJson(body);
        }
        return NONE;
    }

    private static boolean startsWithBrace(byte[] body) {
        for (byte b : body) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != (byte) 0xEF && b != (byte) 0xBB
                    && b != (byte) 0xBF) {
                return false;
            }
        }
        return false;
    }

    private static RequestFields fromJson(byte[] body) {
        JsonNode tree;
        try {
            tree = JsonResponses.JSON.readTree(body);
        } catch (JacksonException e) {
            throw JsonResponses.badRequest("invalid_json", "Request body is not valid JSON", null);
        } catch (java.io.IOException e) {
            throw JsonResponses.badRequest("invalid_json", "Request body could not be read", null);
        }
        return new RequestFields(text(tree, "model"), text(tree, "user"));
    }

    private static String text(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw JsonResponses.badRequest("invalid_" + field, "'" + field + "' must be a string", field);
        }
        return node.asText().isEmpty() ? null : node.asText();
    }

    private static RequestFields fromMultipart(String contentType, byte[] body) {
        Matcher b = BOUNDARY.matcher(contentType);
        if (!b.find()) {
            throw JsonResponses.badRequest("invalid_multipart", "multipart body without a boundary", null);
        }
        // ISO-8859-1 maps bytes one to one, so offsets stay valid for binary parts (audio files).
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + b.group(1);
        String model = null;
        String user = null;
        for (String part : text.split(Pattern.quote(delimiter), -1)) {
            int headerEnd = part.indexOf("\r\n\r\n");
            if (headerEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headerEnd);
            Matcher name = FIELD_NAME.matcher(headers);
            if (headers.toLowerCase(Locale.ROOT).contains("filename=") || !name.find()) {
                continue;
            }
            String value = part.substring(headerEnd + 4);
            if (value.endsWith("\r\n")) {
                value = value.substring(0, value.length() - 2);
            }
            value = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).trim();
            if (name.group(1).equals("model") && model == null && !value.isEmpty()) {
                model = value;
            } else if (name.group(1).equals("user") && user == null && !value.isEmpty()) {
                user = value;
            }
        }
        return new RequestFields(model, user);
    }
}
