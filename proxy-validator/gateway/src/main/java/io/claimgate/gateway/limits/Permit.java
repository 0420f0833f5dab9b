package io.claimgate.gateway.limits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request within its limits, counted: forward it, add {@link #headers()} to its answer, and call {@link #finish}
 * exactly when the answer has ended (in a {@code finally}, whether it succeeded, failed or the client went away), so
 * that its parallel slot frees and its tokens count.
 */
public final class Permit implements Admission {

    /** The permit of a request no limit applies to: no headers, nothing to finish. */
    static final Permit UNLIMITED = new Permit(null, new RateLimit[0], new WindowCounter[0],
            new WindowCounter.Reading(0));

    private final RateLimiter limiter;
    private final RateLimit[] limits;
    private final WindowCounter[] counters;
    private final WindowCounter.Reading reading;
    private final String sharedSlot;
    private static final VarHandle FINISHED;

    static {
        try {
            FINISHED = MethodHandles.lookup().findVarHandle(Permit.class, "finished", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Set once by {@link #finish}; a field, not an AtomicBoolean, to keep an admission's allocations few. */
    @SuppressWarnings("unused")
    private volatile boolean finished;

    Permit(RateLimiter limiter, RateLimit[] limits, WindowCounter[] counters, WindowCounter.Reading reading) {
        this.limiter = limiter;
        this.limits = limits;
        this.counters = counters;
        this.reading = reading;
        this.sharedSlot = null;
    }

    /** A request counted in the replicas' {@link SharedWindows}: finishing it frees slot {@code sharedSlot} there. */
    Permit(RateLimiter limiter, RateLimit[] limits, String sharedSlot, WindowCounter.Reading reading) {
        this.limiter = limiter;
        this.limits = limits;
        this.counters = new WindowCounter[0];
        this.reading = reading;
        this.sharedSlot = sharedSlot;
    }

    /**
     * The answer's rate-limit headers, as LiteLLM sends them: for each limit,
     * {@code x-ratelimit-<scope>-remaining-<requests|tokens>} and {@code x-ratelimit-<scope>-limit-<requests|tokens>};
     * and for the tightest one {@code x-ratelimit-remaining-requests}, {@code x-ratelimit-limit-requests},
     * {@code x-ratelimit-remaining-tokens}, {@code x-ratelimit-limit-tokens}. Remaining tokens are those left when
     * the request was admitted: answers still running count when they end.
     *
     * <p>Handed over as numbers with their {@link RateLimitHeader} rather than as built strings: every answer carries
     * them, and the edge writes them under names it prepared once (building them per answer was 1.6 µs of the
     * metered path's cost, issue 10).
     */
    public void writeHeaders(RateLimitHeader.Sink out) {
        long leastRequests = Long.MAX_VALUE;
        long requestLimit = 0;
        long leastTokens = Long.MAX_VALUE;
        long tokenLimit = 0;
        for (int i = 0; i < limits.length; i++) {
            LimitScope scope = limits[i].scope();
            Long rpm = limits[i].requestsPerMinute();
            if (rpm != null) {
                long remaining = Math.max(0, rpm - reading.requests(i));
                out.header(scope, RateLimitHeader.REMAINING_REQUESTS, remaining);
                out.header(scope, RateLimitHeader.LIMIT_REQUESTS, rpm);
                if (remaining < leastRequests) {
                    leastRequests = remaining;
                    requestLimit = rpm;
                }
            }
            Long tpm = limits[i].tokensPerMinute();
            if (tpm != null) {
                long remaining = Math.max(0, tpm - reading.tokens(i));
                out.header(scope, RateLimitHeader.REMAINING_TOKENS, remaining);
                out.header(scope, RateLimitHeader.LIMIT_TOKENS, tpm);
                if (remaining < leastTokens) {
                    leastTokens = remaining;
                    tokenLimit = tpm;
                }
            }
        }
        if (leastRequests != Long.MAX_VALUE) {
            out.header(null, RateLimitHeader.REMAINING_REQUESTS, leastRequests);
            out.header(null, RateLimitHeader.LIMIT_REQUESTS, requestLimit);
        }
        if (leastTokens != Long.MAX_VALUE) {
            out.header(null, RateLimitHeader.REMAINING_TOKENS, leastTokens);
            out.header(null, RateLimitHeader.LIMIT_TOKENS, tokenLimit);
        }
    }

    /** {@link #writeHeaders} as a map from header name to value, in order. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        writeHeaders((scope, header, value) -> headers.put(header.name(scope), Long.toString(value)));
        return headers;
    }

    /** Whether {@link #finish} talks to the replicas' shared store (a network round trip), not only to memory. */
    public boolean finishWaits() {
        return sharedSlot != null;
    }

    /**
     * The answer has ended: counts its tokens (as {@link TokenCounting} selects them; 0 when it reported none) in
     * each limit's current window and frees its parallel slot. Only the first call counts.
     */
    public void finish(long tokens) {
        if ((counters.length == 0 && sharedSlot == null) || !FINISHED.compareAndSet(this, false, true)) {
            return;
        }
        long counted = Math.max(0, tokens);
        if (sharedSlot != null) {
            limiter.finishShared(limits, sharedSlot, counted);
            return;
        }
        long now = limiter.now();
        for (WindowCounter counter : counters) {
            counter.finish(counted, now);
        }
    }
}
