package io.claimgate.gateway.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enforces {@code rpm_limit}, {@code tpm_limit} and {@code max_parallel_requests} of teams, users, team members and
 * end users on one gateway, in memory, exactly: with 300 requests a minute allowed, 300 pass however many threads
 * ask at once.
 *
 * <p>Windows are fixed, as LiteLLM's limiter keeps them: a subject's window opens with its first request after the
 * previous window closed and lasts {@link #DEFAULT_WINDOW} (LiteLLM's {@code LITELLM_RATE_LIMIT_WINDOW_SIZE}); its
 * request and token counts restart with each window. Parallel requests are counted from admission to
 * {@link Permit#finish}, not by window.
 *
 * <p>A request is admitted only if it fits every limit that applies to it; a refused request counts against none
 * (what an earlier limit counted is taken back). Each subject's counts change by compare-and-set, never under a lock:
 * requests of one team on different event loops never wait for each other, nor for a thread that is not running.
 *
 * <p>Given {@link SharedWindows}, the counts are kept there, shared by every replica, and here only while the shared
 * store does not answer (see docs/spend-and-limits.md, "Several replicas: Redis").
 */
public final class RateLimiter {

    /** LiteLLM's default window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

    private final long windowMillis;
    private final Clock clock;
    private final Map<LimitScope, ConcurrentHashMap<String, WindowCounter>> counters = new EnumMap<>(LimitScope.class);
    private final AtomicLong lastSweep;
    /** Counts shared with other replicas, or {@code null} when this gateway counts alone. */
    private final SharedWindows shared;

    public RateLimiter(Duration window, Clock clock) {
        this(window, clock, null);
    }

    /**
     * A limiter whose counts are shared with other replicas through {@code shared}; when that cannot answer, it counts
     * here, each limit divided by {@link SharedWindows#fallbackReplicas()}.
     */
    public RateLimiter(Duration window, Clock clock, SharedWindows shared) {
        if (window == null || window.toMillis() < 1) {
            throw new IllegalArgumentException("the rate limit window must be at least 1 ms, got " + window);
        }
        this.windowMillis = window.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        for (LimitScope scope : LimitScope.values()) {
            counters.put(scope, new ConcurrentHashMap<>());
        }
        this.lastSweep = new AtomicLong(clock.millis());
        this.shared = shared;
    }

    /** LiteLLM's 60 s windows on the system clock. */
    public static RateLimiter withDefaults() {
        return new RateLimiter(DEFAULT_WINDOW, Clock.systemUTC());
    }

    /**
     * Counts the request against every limit given, or refuses it.
     *
     * @param limits the limits of the request's team, user, team member and end user, each subject once (a subject
     *               given twice is counted twice); those that limit nothing are skipped
     */
    public Admission admit(List<RateLimit> limits) {
        long now = clock.millis();
        sweepIfDue(now);
        int applicable = 0;
        for (RateLimit limit : limits) {
            if (limit.limitsAnything()) {
                applicable++;
            }
        }
        if (applicable == 0) {
            return Permit.UNLIMITED;
        }
        RateLimit[] counted = new RateLimit[applicable];
        int i = 0;
        for (RateLimit limit : limits) {
            if (limit.limitsAnything()) {
                counted[i++] = limit;
            }
        }
        if (shared != null) {
            Optional<SharedWindows.SharedCount> count = shared.admit(counted, windowMillis);
            if (count.isPresent()) {
                return sharedAdmission(counted, count.get());
            }
            counted = perReplica(counted, shared.fallbackReplicas());
        }
        WindowCounter[] taken = new WindowCounter[applicable];
        WindowCounter.Reading reading = new WindowCounter.Reading(applicable);
        for (i = 0; i < applicable; i++) {
            RateLimit limit = counted[i];
            ConcurrentHashMap<String, WindowCounter> ofScope = counters.get(limit.scope());
            int verdict;
            WindowCounter counter;
            do {
                counter = ofScope.get(limit.id());
                if (counter == null) {
                    counter = ofScope.computeIfAbsent(limit.id(), id -> new WindowCounter(windowMillis, now));
                }
                verdict = counter.tryTake(limit, now, reading, i);
                if (verdict == WindowCounter.RETIRED) {
                    ofScope.remove(limit.id(), counter);
                }
            } while (verdict == WindowCounter.RETIRED);
            if (verdict != WindowCounter.TAKEN) {
                for (int j = 0; j < i; j++) {
                    taken[j].untake(reading.windowStart(j));
                }
                return refusal(limit, LimitType.values()[verdict], reading, i, now);
            }
            taken[i] = counter;
        }
        return new Permit(this, counted, taken, reading);
    }

    /** Subjects with counts in memory: a metric, and what a sweep keeps bounded. */
    public int trackedSubjects() {
        int total = 0;
        for (ConcurrentHashMap<String, WindowCounter> ofScope : counters.values()) {
            total += ofScope.size();
        }
        return total;
    }

    long now() {
        return clock.millis();
    }

    void finishShared(RateLimit[] limits, String slot, long tokens) {
        shared.finish(limits, slot, tokens, windowMillis);
    }

    private Admission sharedAdmission(RateLimit[] limits, SharedWindows.SharedCount count) {
        WindowCounter.Reading reading = new WindowCounter.Reading(limits.length);
        long[] counts = count.counts();
        for (int i = 0; i < limits.length; i++) {
            reading.set(i, counts[i * 4], counts[i * 4 + 1], counts[i * 4 + 2], counts[i * 4 + 3]);
        }
        if (!count.admitted()) {
            return refusal(limits[count.refusedAt()], count.refusedBy(), reading, count.refusedAt(), count.now());
        }
        return new Permit(this, limits, count.slot(), reading);
    }

    /**
     * The share of each limit one replica enforces while the shared counts are out of reach: the limit divided by the
     * replicas, rounded down but at least 1, so that a small limit still lets requests through; 0 stays 0.
     */
    private static RateLimit[] perReplica(RateLimit[] limits, int replicas) {
        if (replicas <= 1) {
            return limits;
        }
        RateLimit[] share = new RateLimit[limits.length];
        for (int i = 0; i < limits.length; i++) {
            RateLimit limit = limits[i];
            share[i] = new RateLimit(limit.scope(), limit.id(), share(limit.requestsPerMinute(), replicas),
                    share(limit.tokensPerMinute(), replicas), share(limit.maxParallelRequests(), replicas));
        }
        return share;
    }

    private static Long share(Long limit, int replicas) {
        if (limit == null || limit == 0) {
            return limit;
        }
        return Math.max(1, limit / replicas);
    }

    private Refusal refusal(RateLimit limit, LimitType type, WindowCounter.Reading reading, int i, long now) {
        long current;
        long used;
        long resetAt;
        switch (type) {
            case REQUESTS -> {
                current = limit.requestsPerMinute();
                used = reading.requests(i);
                resetAt = reading.windowStart(i) + windowMillis;
            }
            case TOKENS -> {
                current = limit.tokensPerMinute();
                used = reading.tokens(i);
                resetAt = reading.windowStart(i) + windowMillis;
            }
            default -> {
                current = limit.maxParallelRequests();
                used = reading.inFlight(i);
                // A slot frees whenever a running answer ends: worth trying again soon.
                resetAt = now + 1000;
            }
        }
        long retryAfter = Math.max(1, (resetAt - now + 999) / 1000);
        return new Refusal(limit.scope(), limit.id(), type, current, Math.max(0, current - used), retryAfter,
                Instant.ofEpochMilli(resetAt));
    }

    /**
     * Once a window, drops the counters of subjects with nothing in their window and nothing in flight, so that memory
     * follows the active subjects, not every id ever seen. One thread sweeps; the others go on.
     */
    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last < windowMillis || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        for (ConcurrentHashMap<String, WindowCounter> ofScope : counters.values()) {
            ofScope.forEach((id, counter) -> {
                if (counter.retireIfIdle(now)) {
                    ofScope.remove(id, counter);
                }
            });
        }
    }
}
