package io.claimgate.gateway.spend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Asks the upstream for the usage of a streamed chat completion: OpenAI sends the final usage chunk only when the
 * request says {@code "stream_options": {"include_usage": true}}, and without it a streamed answer would cost nothing.
 * The client then sees one more chunk (empty {@code choices}, with {@code usage}), as OpenAI documents.
 *
 * <p>Pure over the body's bytes, and it refuses nothing: a body that is not a JSON object, does not stream, or already
 * asks for usage comes back as the same array. When {@code stream_options} is absent the member is inserted before the
 * closing brace and every other byte is kept; when it is present without {@code include_usage: true} the document is
 * re-serialised with its members in order and its numbers exact.
 */
public final class StreamUsageRequest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // Bytes after the object would put the inserted member in the wrong place; such a body is left alone.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final byte[] MEMBER = ",\"stream_options\":{\"include_usage\":true}"
            .getBytes(StandardCharsets.US_ASCII);

    private StreamUsageRequest() {
    }

    /**
     * The body with {@code stream_options.include_usage} set when it streams; {@code body} itself when nothing needs
     * to change.
     */
    public static byte[] withUsageRequested(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return body;
        }
        if (root == null || !root.isObject() || !root.path("stream").asBoolean(false)
                || !root.path("stream").isBoolean()) {
            return body;
        }
        JsonNode options = root.get("stream_options");
        if (options == null) {
            return inserted(body);
        }
        if (!options.isObject() || options.path("include_usage").asBoolean(false)
                && options.path("include_usage").isBoolean()) {
            // Not ours to repair: the upstream answers a malformed stream_options itself.
            return body;
        }
        ((ObjectNode) options).put("include_usage", true);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            return body;
        }
    }

    private static byte[] inserted(byte[] body) {
        int close = body.length - 1;
        while (close >= 0 && isWhitespace(body[close])) {
            close--;
        }
        // readTree accepted an object, so the last non-blank byte is its closing brace.
        byte[] rewritten = new byte[body.length + MEMBER.length];
        System.arraycopy(body, 0, rewritten, 0, close);
        System.arraycopy(MEMBER, 0, rewritten, close, MEMBER.length);
        System.arraycopy(body, close, rewritten, close + MEMBER.length, body.length - close);
        return rewritten;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
