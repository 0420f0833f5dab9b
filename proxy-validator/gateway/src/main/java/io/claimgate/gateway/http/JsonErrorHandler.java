package io.claimgate.gateway.http;

import io.claimgate.validator.ErrorType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a malformed URI, headers too large, an ambiguous path) in LiteLLM's JSON shape instead of HTML,
 * without causes or stack traces.
 */
public final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int code, String message) {
        String type = code == 404 ? ErrorType.NOT_FOUND_ERROR.wireValue()
                : code >= 500 ? "internal_server_error" : ErrorType.BAD_REQUEST_ERROR.wireValue();
        // Jetty's messages describe the protocol problem ("Ambiguous URI path separator"), never internals.
        String text = code >= 500 ? "Internal server error" : message == null ? "Bad request" : message;
        Map<String, Object> error = JsonResponses.errorBody(text, type, null, Integer.toString(code));
        try {
            return JsonResponses.JSON.writeValueAsString(error).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return ("{\"error\":{\"message\":\"Bad request\",\"type\":\"" + type + "\",\"param\":null,\"code\":\""
                    + code + "\"}}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
