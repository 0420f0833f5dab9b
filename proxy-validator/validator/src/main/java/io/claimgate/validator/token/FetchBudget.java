package io.claimgate.validator.token;

import java.util.ArrayDeque;

/**
 * At most {@code permits} fetches per sliding {@code window}: what keeps a flood of tokens with made-up {@code kid}s
 * from turning into a flood of requests to the IdP.
 */
final class FetchBudget {

    private final int permits;
    private final long windowMillis;
    private final ArrayDeque<Long> grants = new ArrayDeque<>();

    FetchBudget(int permits, long windowMillis) {
        if (permits < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("a fetch budget needs at least one permit per positive window");
        }
        this.permits = permits;
        this.windowMillis = windowMillis;
    }

    /** Takes a permit if one is left in the window ending at {@code nowMillis}. */
    synchronized boolean tryAcquire(long nowMillis) {
        while (!grants.isEmpty() && grants.peekFirst() <= nowMillis - windowMillis) {
            grants.pollFirst();
        }
        if (grants.size() >= permits) {
            return false;
        }
        grants.addLast(nowMillis);
        return true;
    }
}
