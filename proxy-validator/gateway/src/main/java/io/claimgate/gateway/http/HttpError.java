package io.claimgate.gateway.http;

import io.claimgate.validator.ErrorType;
import java.util.Objects;

/**
 * A request the gateway itself cannot or will not handle, before or apart from any authentication decision: a path or
 * body it cannot read unambiguously (400), a route it does not serve (404), a body that is too large (413), too slow
 * (408) or encoded (415), no room to read one more body (503), an upstream that failed (502, 504).
 *
 * <p>Refusals of the caller (401, 403, budgets) stay the library's {@code AuthException}; both render as LiteLLM's
 * error JSON through {@link JsonResponses}. The message is shown to the caller, so it names what to fix and never
 * echoes a credential. No stack trace is captured: these are answers, not bugs.
 */
public final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final ErrorType type;
    private final String reason;
    private final String param;

    public HttpError(int status, ErrorType type, String reason, String message, String param, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause, false, false);
        this.status = status;
        this.type = Objects.requireNonNull(type, "type");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.param = param;
    }

    /** 404 {@code not_found_error}. */
    public static HttpError notFound(String reason, String message) {
        return new HttpError(404, ErrorType.NOT_FOUND_ERROR, reason, message, null, null);
    }

    /** A {@code bad_request_error} with another 4xx status (408, 413, 415). */
    public static HttpError badRequest(int status, String reason, String message, String param) {
        return new HttpError(status, ErrorType.BAD_REQUEST_ERROR, reason, message, param, null);
    }

    /** A {@code service_unavailable} with a 5xx status the caller may retry (502, 503, 504). */
    public static HttpError unavailable(int status, String reason, String message, Throwable cause) {
        return new HttpError(status, ErrorType.SERVICE_UNAVAILABLE, reason, message, null, cause);
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }

    /** LiteLLM's error {@code type}. */
    public ErrorType type() {
        return type;
    }

    /** A short stable label for metrics and logs, such as {@code request_too_large}. */
    public String reason() {
        return reason;
    }

    /** The request parameter at fault, or {@code null}. */
    public String param() {
        return param;
    }
}
