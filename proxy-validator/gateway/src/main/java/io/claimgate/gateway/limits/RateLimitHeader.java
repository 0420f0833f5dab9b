package io.claimgate.gateway.limits;

/**
 * LiteLLM's rate-limit answer headers: {@code x-ratelimit-<scope>-<remaining|limit>-<requests|tokens>} for each limit
 * that applies, and {@code x-ratelimit-<remaining|limit>-<requests|tokens>} for the tightest one.
 */
public enum RateLimitHeader {
    REMAINING_REQUESTS("remaining-requests"),
    LIMIT_REQUESTS("limit-requests"),
    REMAINING_TOKENS("remaining-tokens"),
    LIMIT_TOKENS("limit-tokens");

    private final String suffix;

    RateLimitHeader(String suffix) {
        this.suffix = suffix;
    }

    /** The header's name for one limit's {@code scope}, or for the tightest limit when {@code scope} is null. */
    public String name(LimitScope scope) {
        return scope == null ? "x-ratelimit-" + suffix : "x-ratelimit-" + scope.descriptor() + "-" + suffix;
    }

    /** Where a permit writes its headers; called once per header, in the order LiteLLM sends them. */
    @FunctionalInterface
    public interface Sink {

        /** @param scope the limit's scope, or null for the tightest limit's header */
        void header(LimitScope scope, RateLimitHeader header, long value);
    }
}
