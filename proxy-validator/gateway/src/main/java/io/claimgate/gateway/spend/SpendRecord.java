package io.claimgate.gateway.spend;

import java.time.Instant;
import java.util.Objects;

/**
 * One answered request as spend: who it is booked to, what it used and what it cost. Never the prompt, the answer or
 * the caller's token.
 *
 * <p>Held compactly, because a record waits in memory for its flush (up to {@link SpendSettings#flushAt()} of them,
 * about a second at 5,000 requests a second) and every young collection copies what waits: tokens and times are
 * plain fields rather than a {@link Usage} and two {@link Instant}s, and an id the gateway drew is kept as its
 * {@link RequestIds} prefix (shared) and number, its text built only when the flush writes it. That is two objects
 * a record (it and its queue node) where there were nine: young pauses at 5,000 requests a second went from 3.1 to
 * 2.6 ms (1.4 ms with spend off; docs/benchmarks.md).
 */
public final class SpendRecord {

    private final String requestIdPrefix;
    /** The number after {@link #requestIdPrefix}, or -1 when the prefix is the whole id. */
    private final long requestNumber;
    private final String callType;
    private final String model;
    private final String userId;
    private final String teamId;
    private final String organizationId;
    private final String endUserId;
    private final long promptTokens;
    private final long completionTokens;
    private final long totalTokens;
    private final double spend;
    private final long startMicros;
    private final long endMicros;

    /**
     * @param requestId      unique per request (the {@code LiteLLM_SpendLogs} primary key): a record is booked at most
     *                       once
     * @param callType       LiteLLM's {@code call_type}, e.g. {@code acompletion}, {@code aembedding}
     * @param model          the {@code model} the request named
     * @param userId         the internal user ({@code LiteLLM_UserTable.user_id}), or {@code null}
     * @param teamId         the team, or {@code null}
     * @param organizationId the organization, or {@code null}
     * @param endUserId      the end user ({@code LiteLLM_EndUserTable.user_id}), or {@code null}
     * @param usage          the tokens the answer reported
     * @param spend          the cost in US dollars
     * @param startTime      when the request arrived (kept to the microsecond, rounded half up; the table keeps
     *                       milliseconds)
     * @param endTime        when its answer ended
     */
    public SpendRecord(String requestId, String callType, String model, String userId, String teamId,
                       String organizationId, String endUserId, Usage usage, double spend, Instant startTime,
                       Instant endTime) {
        this(requestId, -1, callType, model, userId, teamId, organizationId, endUserId, usage, spend,
                micros(Objects.requireNonNull(startTime, "startTime")),
                micros(Objects.requireNonNull(endTime, "endTime")));
    }

    /** A record whose id is {@code ids}' prefix and {@code number}, as {@link RequestIds#next()} would spell it. */
    SpendRecord(RequestIds ids, long number, String callType, String model, String userId, String teamId,
                String organizationId, String endUserId, Usage usage, double spend, long startMillis,
                Instant endTime) {
        this(ids.prefix(), number, callType, model, userId, teamId, organizationId, endUserId, usage, spend,
                startMillis * 1000, micros(endTime));
    }

    private SpendRecord(String requestIdPrefix, long requestNumber, String callType, String model, String userId,
                        String teamId, String organizationId, String endUserId, Usage usage, double spend,
                        long startMicros, long endMicros) {
        if (requestIdPrefix == null || (requestNumber < 0 && requestIdPrefix.isBlank())) {
            throw new IllegalArgumentException("a spend record needs a request id");
        }
        Objects.requireNonNull(callType, "callType");
        Objects.requireNonNull(usage, "usage");
        if (!(spend >= 0) || Double.isInfinite(spend)) {
            throw new IllegalArgumentException("spend must be a finite amount of at least 0");
        }
        this.requestIdPrefix = requestIdPrefix;
        this.requestNumber = requestNumber;
        this.callType = printable(callType);
        this.model = model == null ? "" : printable(model);
        this.userId = printable(userId);
        this.teamId = printable(teamId);
        this.organizationId = printable(organizationId);
        this.endUserId = printable(endUserId);
        this.promptTokens = usage.promptTokens();
        this.completionTokens = usage.completionTokens();
        this.totalTokens = usage.totalTokens();
        this.spend = spend;
        this.startMicros = startMicros;
        this.endMicros = endMicros;
    }

    /** The same record without its end user, for an end user id the table cannot index. */
    SpendRecord withoutEndUser() {
        return new SpendRecord(requestIdPrefix, requestNumber, callType, model, userId, teamId, organizationId, null,
                usage(), spend, startMicros, endMicros);
    }

    /** Unique per request (the {@code LiteLLM_SpendLogs} primary key); the same text on every call. */
    public String requestId() {
        return requestNumber < 0 ? requestIdPrefix : RequestIds.spell(requestIdPrefix, requestNumber);
    }

    public String callType() {
        return callType;
    }

    public String model() {
        return model;
    }

    public String userId() {
        return userId;
    }

    public String teamId() {
        return teamId;
    }

    public String organizationId() {
        return organizationId;
    }

    public String endUserId() {
        return endUserId;
    }

    public Usage usage() {
        return new Usage(promptTokens, completionTokens, totalTokens);
    }

    public double spend() {
        return spend;
    }

    public Instant startTime() {
        return instant(startMicros);
    }

    public Instant endTime() {
        return instant(endMicros);
    }

    /** How long the request took, in milliseconds, never negative. */
    long durationMillis() {
        return Math.max(0, Math.floorDiv(endMicros, 1000) - Math.floorDiv(startMicros, 1000));
    }

    @Override
    public String toString() {
        return "SpendRecord[" + requestId() + ", " + callType + ", model=" + model + ", team=" + teamId + ", user="
                + userId + ", spend=" + spend + "]";
    }

    /** Microseconds since the epoch, rounded half up as PostgreSQL rounds a timestamp it is given in text. */
    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                (instant.getNano() + 500) / 1000);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /**
     * PostgreSQL refuses NUL in text, and ids such as the end user come from the request: one NUL would make every
     * flush of the batch fail. It becomes U+FFFD, which matches no real row.
     */
    private static String printable(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }
}
