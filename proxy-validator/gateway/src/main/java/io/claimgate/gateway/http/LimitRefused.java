package io.claimgate.gateway.http;

import io.claimgate.gateway.limits.Refusal;

/** A request over a rate limit, to be answered with 429, LiteLLM's message and the limiter's headers. */
public final class LimitRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Refusal refusal;

    public LimitRefused(Refusal refusal) {
        super(refusal.message(), null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
