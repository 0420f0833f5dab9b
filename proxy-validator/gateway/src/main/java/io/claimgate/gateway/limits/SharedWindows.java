package io.claimgate.gateway.limits;

import java.util.Optional;

/**
 * Rate-limit counts that several gateway replicas keep in one place (Redis), so that a team's {@code rpm_limit} holds
 * for all of them together. The {@link RateLimiter} asks it first and, whenever it cannot answer, counts in its own
 * memory with each limit divided by {@link #fallbackReplicas()}: limits stay applied, requests never fail for it.
 */
public interface SharedWindows {

    /**
     * Counts one request against every limit at once, or against none if one refuses; the same fixed windows and
     * checks as the in-memory counters.
     *
     * @param limits       the request's limits, each of which limits something
     * @param windowMillis the window length
     * @return the counts, or empty when the store could not answer (unreachable, too slow): the caller counts locally
     */
    Optional<SharedCount> admit(RateLimit[] limits, long windowMillis);

    /**
     * The answer of an admitted request has ended: its tokens count in each limit's current window and its parallel
     * slots are freed. Never throws; a slot that cannot be freed now expires by itself.
     */
    void finish(RateLimit[] limits, String slot, long tokens, long windowMillis);

    /** How many replicas share the limits: when the store is unreachable, each replica allows limit ÷ this. */
    int fallbackReplicas();

    /**
     * What the store counted for one admission.
     *
     * @param slot       the id of the request's parallel slots, to give back to {@link #finish}
     * @param now        the store's clock when it counted, in epoch milliseconds
     * @param refusedAt  the index of the refusing limit, or -1 when the request was counted
     * @param refusedBy  which of its limits refused, or {@code null}
     * @param counts     for each limit in order: requests, tokens and requests in flight after the attempt, and the
     *                   window's start (epoch ms)
     */
    record SharedCount(String slot, long now, int refusedAt, LimitType refusedBy, long[] counts) {

        public boolean admitted() {
            return refusedAt < 0;
        }
    }
}
