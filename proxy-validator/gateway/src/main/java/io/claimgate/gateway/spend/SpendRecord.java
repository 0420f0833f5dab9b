package io.claimgate.gateway.spend;

import java.time.Instant;
import java.util.Objects;

/**
 * One answered request as spend: who it is booked to, what it used and what it cost. Never the prompt, the answer or
 * the caller's token.
 *
 * @param requestId      unique per request (the {@code LiteLLM_SpendLogs} primary key): a record is booked at most once
 * @param callType       LiteLLM's {@code call_type}, e.g. {@code acompletion}, {@code aembedding}
 * @param model          the {@code model} the request named
 * @param userId         the internal user ({@code LiteLLM_UserTable.user_id}), or {@code null}
 * @param teamId         the team, or {@code null}
 * @param organizationId the organization, or {@code null}
 * @param endUserId      the end user ({@code LiteLLM_EndUserTable.user_id}), or {@code null}
 * @param usage          the tokens the answer reported
 * @param spend          the cost in US dollars
 * @param startTime      when the request arrived
 * @param endTime        when its answer ended
 */
public record SpendRecord(String requestId, String callType, String model, String userId, String teamId,
                          String organizationId, String endUserId, Usage usage, double spend, Instant startTime,
                          Instant endTime) {

    public SpendRecord {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("a spend record needs a request id");
        }
        Objects.requireNonNull(callType, "callType");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
        if (!(spend >= 0) || Double.isInfinite(spend)) {
            throw new IllegalArgumentException("spend must be a finite amount of at least 0");
        }
        model = model == null ? "" : printable(model);
        callType = printable(callType);
        userId = printable(userId);
        teamId = printable(teamId);
        organizationId = printable(organizationId);
        endUserId = printable(endUserId);
    }

    /**
     * PostgreSQL refuses NUL in text, and ids such as the end user come from the request: one NUL would make every
     * flush of the batch fail. It becomes U+FFFD, which matches no real row.
     */
    private static String printable(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }
}
