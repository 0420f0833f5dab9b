package io.claimgate.gateway.limits;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request over a limit: answer it with {@link #STATUS} in LiteLLM's error shape, {@link #message()} as the message,
 * and {@link #headers()}. Nothing was counted for it.
 *
 * @param scope             whose limit refused
 * @param id                that team's, user's, member's ({@code team:user}) or end user's id
 * @param type              which limit
 * @param currentLimit      the limit's value
 * @param remaining         what was left of it, at least 0
 * @param retryAfterSeconds when to try again: until the window ends, or 1 s for parallel requests
 * @param resetAt           when the window ends
 */
public record Refusal(LimitScope scope, String id, LimitType type, long currentLimit, long remaining,
                      long retryAfterSeconds, Instant resetAt) implements Admission {

    public static final int STATUS = 429;
    /**
     * The error body's {@code type}: LiteLLM's error reference lists {@code throttling_error} for 429s; its limiter
     * itself leaves the type unset.
     */
    public static final String ERROR_TYPE = "throttling_error";

    private static final DateTimeFormatter RESET_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** LiteLLM's message, word for word (its {@code parallel_request_limiter_v3}). */
    public String message() {
        return "Rate limit exceeded for " + scope.descriptor() + ": " + id + ". Limit type: " + type.wireValue()
                + ". Current limit: " + currentLimit + ", Remaining: " + remaining + ". Limit resets at: "
                + RESET_FORMAT.format(resetAt);
    }

    /** LiteLLM's headers on a limiter's 429: {@code retry-after}, {@code rate_limit_type}, {@code reset_at}. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("retry-after", Long.toString(retryAfterSeconds));
        headers.put("rate_limit_type", type.wireValue());
        headers.put("reset_at", RESET_FORMAT.format(resetAt));
        return headers;
    }
}
