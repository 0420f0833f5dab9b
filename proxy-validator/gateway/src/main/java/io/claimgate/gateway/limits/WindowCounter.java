package io.claimgate.gateway.limits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counts of one team, user, member or end user: requests and tokens in the current window, and requests in
 * flight. Lock-free: every change replaces an immutable {@link Counts} by compare-and-set, retried when another
 * thread changed it first. Every request of a team meets the same counter on every event loop, and a lock there
 * stalls a whole event loop whenever its holder is descheduled (on 2 cores shared with a busy process, a monitor held
 * for a few field updates was waited on for 1-7 ms); a compare-and-set never waits for a thread that is not running.
 */
final class WindowCounter {

    /** {@link #tryTake}'s answers besides a refusing {@link LimitType}. */
    static final int TAKEN = -1;
    static final int RETIRED = -2;

    private static final VarHandle COUNTS;

    static {
        try {
            COUNTS = MethodHandles.lookup().findVarHandle(WindowCounter.class, "counts", Counts.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long windowMillis;
    private volatile Counts counts;

    /** One state of the counter, never changed: a change is a new one. */
    private record Counts(long start, long requests, long tokens, long inFlight, boolean retired) {

        /**
         * Fixed windows, as LiteLLM's limiter keeps them: a window opens with the first request after the previous
         * one closed and lasts {@code windowMillis}; counts restart with it. A {@code now} before the window's start
         * is normal (a thread read the clock before another opened the window) and counts in the open window.
         */
        Counts rolled(long now, long windowMillis) {
            return now - start >= windowMillis ? new Counts(now, 0, 0, inFlight, retired) : this;
        }
    }

    /**
     * What one admission saw of each of its counters, filled from the state it left each counter in: four counts per
     * counter in one array, so that an admission allocates one array however many limits apply.
     */
    static final class Reading {
        private static final int REQUESTS = 0;
        private static final int TOKENS = 1;
        private static final int IN_FLIGHT = 2;
        private static final int WINDOW_START = 3;

        private final long[] values;

        Reading(int size) {
            values = new long[size * 4];
        }

        long requests(int index) {
            return values[index * 4 + REQUESTS];
        }

        long tokens(int index) {
            return values[index * 4 + TOKENS];
        }

        long inFlight(int index) {
            return values[index * 4 + IN_FLIGHT];
        }

        long windowStart(int index) {
            return values[index * 4 + WINDOW_START];
        }

        void set(int index, long requests, long tokens, long inFlight, long windowStart) {
            values[index * 4 + REQUESTS] = requests;
            values[index * 4 + TOKENS] = tokens;
            values[index * 4 + IN_FLIGHT] = inFlight;
            values[index * 4 + WINDOW_START] = windowStart;
        }
    }

    WindowCounter(long windowMillis, long now) {
        this.windowMillis = windowMillis;
        this.counts = new Counts(now, 0, 0, 0, false);
    }

    /**
     * Counts one request if it fits every limit, else counts nothing. The counts after the attempt go to
     * {@code reading} at {@code index}, for headers and messages.
     *
     * @return {@link #TAKEN}; the ordinal of the refusing {@link LimitType}; or {@link #RETIRED} when this counter was
     *         evicted and the caller must fetch the current one
     */
    int tryTake(RateLimit limit, long now, Reading reading, int index) {
        while (true) {
            Counts current = counts;
            if (current.retired()) {
                return RETIRED;
            }
            Counts rolled = current.rolled(now, windowMillis);
            int verdict = verdict(limit, rolled);
            Counts next = verdict != TAKEN ? rolled : new Counts(rolled.start(), rolled.requests() + 1,
                    rolled.tokens(), rolled.inFlight() + 1, false);
            if (next == current || COUNTS.compareAndSet(this, current, next)) {
                reading.set(index, next.requests(), next.tokens(), next.inFlight(), next.start());
                return verdict;
            }
        }
    }

    private static int verdict(RateLimit limit, Counts counts) {
        if (limit.requestsPerMinute() != null && counts.requests() + 1 > limit.requestsPerMinute()) {
            return LimitType.REQUESTS.ordinal();
        }
        if (limit.tokensPerMinute() != null && counts.tokens() >= limit.tokensPerMinute()) {
            return LimitType.TOKENS.ordinal();
        }
        if (limit.maxParallelRequests() != null && counts.inFlight() + 1 > limit.maxParallelRequests()) {
            return LimitType.MAX_PARALLEL_REQUESTS.ordinal();
        }
        return TAKEN;
    }

    /** Takes back a request another subject's limit refused; only if it is still in the window it was counted in. */
    void untake(long countedInWindow) {
        Counts current;
        Counts next;
        do {
            current = counts;
            long requests = current.start() == countedInWindow ? current.requests() - 1 : current.requests();
            next = new Counts(current.start(), requests, current.tokens(), current.inFlight() - 1, current.retired());
        } while (!COUNTS.compareAndSet(this, current, next));
    }

    /** The answer ended: its tokens count in the current window and its parallel slot is free. */
    void finish(long answerTokens, long now) {
        Counts current;
        Counts next;
        do {
            current = counts;
            Counts rolled = current.rolled(now, windowMillis);
            long tokens = rolled.tokens() > Long.MAX_VALUE - answerTokens ? Long.MAX_VALUE
                    : rolled.tokens() + answerTokens;
            next = new Counts(rolled.start(), rolled.requests(), tokens, rolled.inFlight() - 1, rolled.retired());
        } while (!COUNTS.compareAndSet(this, current, next));
    }

    /** Retires the counter if it holds nothing: its window has passed and no request is in flight. */
    boolean retireIfIdle(long now) {
        while (true) {
            Counts current = counts;
            if (current.retired()) {
                return true;
            }
            if (current.inFlight() != 0 || now - current.start() < windowMillis) {
                return false;
            }
            Counts retired = new Counts(current.start(), current.requests(), current.tokens(), 0, true);
            if (COUNTS.compareAndSet(this, current, retired)) {
                return true;
            }
        }
    }
}
