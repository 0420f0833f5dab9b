package io.claimgate.gateway.spend;

/**
 * What one answer cost and how that was found.
 *
 * @param amount US dollars, at least 0
 * @param source where the amount comes from
 */
public record Cost(double amount, Source source) {

    /** Where a cost was read or computed from. */
    public enum Source {
        /** The upstream LiteLLM proxy's {@code x-litellm-response-cost} header. */
        UPSTREAM_HEADER,
        /** The model's {@code input_cost_per_token} and {@code output_cost_per_token}. */
        MODEL_PRICE,
        /** Neither: the tokens are recorded at cost 0. */
        UNPRICED
    }

    public Cost {
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException("a cost must be a finite amount of at least 0");
        }
    }

    /** The value of LiteLLM's {@code x-litellm-response-cost} header for this cost. */
    public String headerValue() {
        return Double.toString(amount);
    }
}
