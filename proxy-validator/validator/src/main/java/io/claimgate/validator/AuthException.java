package io.claimgate.validator;

import java.util.Objects;

/**
 * A refused request: the HTTP status, LiteLLM's error {@code type} and a message safe to show the caller.
 *
 * <p>Every way authentication can fail ends here, so a caller maps one exception to one response and nothing escapes
 * as a 500. The message names what the operator needs to fix and never echoes the token. The {@code reason} is a short
 * stable label for metrics and logs (for example {@code token_expired}).
 *
 * <p>As nimbus tells {@code BadJOSEException} from {@code JOSEException}, the library throws one of two kinds, so a
 * caller can tell "this request is refused" from "the system is broken" by type: {@link Refused} for a request that
 * will fail again as sent (4xx), {@link Unavailable} for keys or a database that cannot be reached (503), where the
 * same request may succeed later. Code that only maps an exception to a response keeps catching this class.
 */
public class AuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final ErrorType type;
    private final String reason;
    private final String param;

    public AuthException(int status, ErrorType type, String reason, String message, String param, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause, false, cause != null);
        this.status = status;
        this.type = Objects.requireNonNull(type, "type");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.param = param;
    }

    /** 401: the caller cannot be established (missing, malformed, expired or forged token; unknown user). */
    public static Refused unauthorized(String reason, String message) {
        return new Refused(401, ErrorType.AUTH_ERROR, reason, message, null, null);
    }

    /** 401 with the underlying cause kept for the server log (never shown to the caller). */
    public static Refused unauthorized(String reason, String message, Throwable cause) {
        return new Refused(401, ErrorType.AUTH_ERROR, reason, message, null, cause);
    }

    /** 401 {@code expired_key}: the token has expired (LiteLLM's type, so that clients know to refresh it). */
    public static Refused expired(String reason, String message) {
        return new Refused(401, ErrorType.EXPIRED_KEY, reason, message, null, null);
    }

    /** 403: the caller is known but not allowed. */
    public static Refused forbidden(String reason, String message) {
        return new Refused(403, ErrorType.AUTH_ERROR, reason, message, null, null);
    }

    /** 403 with LiteLLM's error type and the request parameter at fault, e.g. a model a role may not call. */
    public static Refused forbidden(ErrorType type, String reason, String message, String param, Throwable cause) {
        return new Refused(403, type, reason, message, param, cause);
    }

    /** 403 for a model the team may not use. */
    public static Refused teamModelDenied(String message) {
        return new Refused(403, ErrorType.TEAM_MODEL_ACCESS_DENIED, "team_model_access_denied", message, "model",
                null);
    }

    /** 404: an object the token names is not in the database (LiteLLM's status for a missing team). */
    public static Refused notFound(String reason, String message) {
        return new Refused(404, ErrorType.NOT_FOUND_ERROR, reason, message, null, null);
    }

    /** 400 {@code budget_exceeded}. */
    public static Refused budgetExceeded(String message) {
        return new Refused(400, ErrorType.BUDGET_EXCEEDED, "budget_exceeded", message, null, null);
    }

    /** 400: the request names something the database cannot answer unambiguously, e.g. a shared team alias. */
    public static Refused badRequest(String reason, String message) {
        return new Refused(400, ErrorType.BAD_REQUEST_ERROR, reason, message, null, null);
    }

    /** 503: keys or database unavailable; the request may succeed later. */
    public static Unavailable unavailable(String reason, String message, Throwable cause) {
        return new Unavailable(reason, message, cause);
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }

    /** LiteLLM's error {@code type}. */
    public ErrorType type() {
        return type;
    }

    /** A short stable label for metrics and logs, such as {@code token_expired} or {@code team_blocked}. */
    public String reason() {
        return reason;
    }

    /** The request parameter at fault, or {@code null}. */
    public String param() {
        return param;
    }

    /** LiteLLM's {@code code}: the status as a string. */
    public String code() {
        return Integer.toString(status);
    }

    /** The request is refused as sent (4xx): a bad, unknown or unauthorised credential, or a denied request. */
    public static final class Refused extends AuthException {

        private static final long serialVersionUID = 1L;

        Refused(int status, ErrorType type, String reason, String message, String param, Throwable cause) {
            super(status, type, reason, message, param, cause);
            if (status < 400 || status > 499) {
                throw new IllegalArgumentException("a refusal is a 4xx status, not " + status);
            }
        }
    }

    /** Keys or the database cannot be reached (503): nothing is wrong with the request, it may succeed later. */
    public static final class Unavailable extends AuthException {

        private static final long serialVersionUID = 1L;

        Unavailable(String reason, String message, Throwable cause) {
            super(503, ErrorType.SERVICE_UNAVAILABLE, reason, message, null, cause);
        }
    }
}
