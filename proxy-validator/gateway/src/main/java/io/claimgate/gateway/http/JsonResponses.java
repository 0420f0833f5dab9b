package io.claimgate.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.ErrorType;
import java.util.LinkedHashMap;
import java.util.Map;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Writes JSON bodies, and errors in LiteLLM's shape {@code {"error": {"message", "type", "param", "code"}}}.
 *
 * <p>The one place an error becomes bytes, so that every refusal (authentication, validation, body limit, protocol
 * errors) looks the same to a client written against LiteLLM. Two exception types render here: the
 * library's {@link AuthException} (who the caller is and what they may do) and the gateway's {@link HttpError}
 * (what the gateway cannot read or serve).
 */
public final class JsonResponses {

    /** Shared, configured once: thread-safe after configuration. */
    public static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private JsonResponses() {
    }

    /** The error body for this exception; never the cause or a stack trace. */
    public static Map<String, Object> errorBody(AuthException e) {
        return errorBody(e.getMessage(), e.type().wireValue(), e.param(), e.code());
    }

    /** An error body from its parts. */
    public static Map<String, Object> errorBody(String message, String type, String param, String code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Map.of("error", error);
    }

    /** The error body for this exception; never the cause or a stack trace. */
    public static Map<String, Object> errorBody(HttpError e) {
        return errorBody(e.getMessage(), e.type().wireValue(), e.param(), Integer.toString(e.status()));
    }

    /** A 400 {@code bad_request_error} for a request the gateway cannot read. */
    public static HttpError badRequest(String reason, String message, String param) {
        return new HttpError(400, ErrorType.BAD_REQUEST_ERROR, reason, message, param, null);
    }

    /** Writes the exception as LiteLLM's error JSON with its status. */
    public static void writeError(Exchange exchange, Completion done, HttpError e) {
        write(exchange, done, e.status(), errorBody(e));
    }

    /** Writes any value as JSON with this status. */
    public static void write(Exchange exchange, Completion done, int status, Object body) {
        write(exchange, done, status, new DefaultHttpHeaders(), body);
    }

    /** Writes any value as JSON with this status and these headers besides. */
    public static void write(Exchange exchange, Completion done, int status, HttpHeaders headers, Object body) {
        headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        exchange.answer(status, headers, bytes(body), done);
    }

    /** The value as JSON; a value Jackson cannot write is a bug, never the caller's answer. */
    static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON answer", e);
        }
    }
}
