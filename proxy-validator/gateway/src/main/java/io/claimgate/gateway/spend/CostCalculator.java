package io.claimgate.gateway.spend;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cost of one answer: the upstream's own figure when it is a LiteLLM proxy (its {@code x-litellm-response-cost}
 * header, which knows provider prices the gateway does not), else the tokens at the {@code model_list} prices.
 *
 * <p>A model with neither costs 0: it is counted ({@link #unpricedAnswers()}) and warned about once per model, so that
 * an operator sees why its budgets do not move, without a log line per request. Thread-safe.
 */
public final class CostCalculator {

    /** LiteLLM's response header carrying the cost of the call in US dollars. */
    public static final String RESPONSE_COST_HEADER = "x-litellm-response-cost";

    private static final Logger LOG = LoggerFactory.getLogger(CostCalculator.class);
    /** Enough for every real model_list; past it an attacker naming random models cannot grow memory. */
    private static final int MAX_WARNED_MODELS = 1_000;

    private final ModelPrices prices;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final LongAdder unpriced = new LongAdder();

    public CostCalculator(ModelPrices prices) {
        this.prices = prices;
    }

    /**
     * The cost of an answer.
     *
     * @param model        the {@code model} the request named (a {@code model_list} {@code model_name})
     * @param usage        the tokens the answer reported, {@link Usage#NONE} when it reported none
     * @param responseCost the upstream's {@code x-litellm-response-cost} header value, or {@code null}
     */
    public Cost cost(String model, Usage usage, String responseCost) {
        Double fromUpstream = parse(responseCost);
        if (fromUpstream != null) {
            return new Cost(fromUpstream, Cost.Source.UPSTREAM_HEADER);
        }
        var price = prices.of(model);
        if (price.isPresent()) {
            return new Cost(price.get().cost(usage), Cost.Source.MODEL_PRICE);
        }
        unpriced.increment();
        // Every answer of an unpriced model comes here: a set lookup, and the printable name only for a warning.
        String key = String.valueOf(model);
        if (!warned.contains(key) && warned.size() < MAX_WARNED_MODELS && warned.add(key)) {
            String printable = key.replaceAll("\\p{Cntrl}", "?");
            LOG.warn("Model '{}' has no price: its answers are recorded with their tokens at cost 0 and no budget "
                    + "moves. Set input_cost_per_token and output_cost_per_token in its model_list entry's "
                    + "litellm_params, or put a LiteLLM proxy upstream.", printable);
        }
        return new Cost(0, Cost.Source.UNPRICED);
    }

    /** Answers recorded at cost 0 because their model has no price: a metric. */
    public long unpricedAnswers() {
        return unpriced.sum();
    }

    /** A cost header that is not a finite number of at least 0 is ignored, not trusted. */
    private static Double parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            double value = Double.parseDouble(header.trim());
            return value >= 0 && !Double.isInfinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
