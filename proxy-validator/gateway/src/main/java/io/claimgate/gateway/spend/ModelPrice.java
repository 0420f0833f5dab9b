package io.claimgate.gateway.spend;

/**
 * What one token of a model costs, in US dollars, as LiteLLM's {@code input_cost_per_token} and
 * {@code output_cost_per_token} say.
 */
public record ModelPrice(double inputCostPerToken, double outputCostPerToken) {

    public ModelPrice {
        if (!(inputCostPerToken >= 0) || !(outputCostPerToken >= 0) || Double.isInfinite(inputCostPerToken)
                || Double.isInfinite(outputCostPerToken)) {
            throw new IllegalArgumentException("a price per token must be a finite number of at least 0");
        }
    }

    /** The cost of this usage: prompt tokens at the input price, completion tokens at the output price. */
    public double cost(Usage usage) {
        return usage.promptTokens() * inputCostPerToken + usage.completionTokens() * outputCostPerToken;
    }
}
