package io.claimgate.gateway.limits;

import io.claimgate.gateway.metrics.GatewayMetrics;

/** Registers what the rate limiter reports, under the names docs/spend-and-limits.md gives. */
public final class LimitMetrics {

    private LimitMetrics() {
    }

    /** Adds {@code claimgate_ratelimit_tracked_subjects}. Refusals are counted per request by the caller. */
    public static void register(GatewayMetrics metrics, RateLimiter limiter) {
        metrics.gauge("claimgate.ratelimit.tracked.subjects", "Teams, users, members, end users and team models "
                + "with rate-limit counts in memory", limiter::trackedSubjects);
    }
}
