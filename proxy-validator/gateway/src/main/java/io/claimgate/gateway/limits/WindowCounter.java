package io.claimgate.gateway.limits;

/**
 * The counts of one team, user, member or end user: requests and tokens in the current window, and requests in
 * flight. Each method holds this counter's monitor for a few field updates and nothing else: the monitor is
 * uncontended unless many requests of the same subject arrive at once, and never held while another is taken.
 */
final class WindowCounter {

    /** {@link #tryTake}'s answers besides a refusing {@link LimitType}. */
    static final int TAKEN = -1;
    static final int RETIRED = -2;

    private final long windowMillis;
    private long start;
    private long requests;
    private long tokens;
    private long inFlight;
    private boolean retired;

    /**
     * What one admission saw of each of its counters, filled under each counter's monitor: four counts per counter in
     * one array, so that an admission allocates one array however many limits apply.
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
        this.start = now;
    }

    /**
     * Counts one request if it fits every limit, else counts nothing. The counts after the attempt go to
     * {@code reading} at {@code index}, for headers and messages.
     *
     * @return {@link #TAKEN}; the ordinal of the refusing {@link LimitType}; or {@link #RETIRED} when this counter was
     *         evicted and the caller must fetch the current one
     */
    synchronized int tryTake(RateLimit limit, long now, Reading reading, int index) {
        if (retired) {
            return RETIRED;
        }
        roll(now);
        int verdict = TAKEN;
        if (limit.requestsPerMinute() != null && requests + 1 > limit.requestsPerMinute()) {
            verdict = LimitType.REQUESTS.ordinal();
        } else if (limit.tokensPerMinute() != null && tokens >= limit.tokensPerMinute()) {
            verdict = LimitType.TOKENS.ordinal();
        } else if (limit.maxParallelRequests() != null && inFlight + 1 > limit.maxParallelRequests()) {
            verdict = LimitType.MAX_PARALLEL_REQUESTS.ordinal();
        } else {
            requests++;
            inFlight++;
        }
        reading.set(index, requests, tokens, inFlight, start);
        return verdict;
    }

    /** Takes back a request another subject's limit refused; only if it is still in the window it was counted in. */
    synchronized void untake(long countedInWindow) {
        if (countedInWindow == start) {
            requests--;
        }
        inFlight--;
    }

    /** The answer ended: its tokens count in the current window and its parallel slot is free. */
    synchronized void finish(long answerTokens, long now) {
        roll(now);
        tokens = tokens > Long.MAX_VALUE - answerTokens ? Long.MAX_VALUE : tokens + answerTokens;
        inFlight--;
    }

    /** Retires the counter if it holds nothing: its window has passed and no request is in flight. */
    synchronized boolean retireIfIdle(long now) {
        if (inFlight == 0 && now - start >= windowMillis) {
            retired = true;
        }
        return retired;
    }

    /**
     * Fixed windows, as LiteLLM's limiter keeps them: a window opens with the first request after the previous one
     * closed and lasts {@code windowMillis}; counts restart with it. A {@code now} before the window's start is
     * normal (a thread read the clock before another opened the window) and counts in the open window.
     */
    private void roll(long now) {
        if (now - start >= windowMillis) {
            start = now;
            requests = 0;
            tokens = 0;
        }
    }
}
