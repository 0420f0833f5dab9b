package io.claimgate.gateway.spend;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The prices of the {@code model_list} models, by {@code model_name}, read from each entry's {@code litellm_params} or
 * {@code model_info} ({@code input_cost_per_token}, {@code output_cost_per_token}: LiteLLM's custom pricing). A model
 * that names neither has no price here; one that names only one of them costs 0 for the other.
 */
public final class ModelPrices {

    private final Map<String, ModelPrice> byModel;

    private ModelPrices(Map<String, ModelPrice> byModel) {
        this.byModel = Map.copyOf(byModel);
    }

    /** No prices: every model is unpriced unless the upstream reports the cost. */
    public static ModelPrices none() {
        return new ModelPrices(Map.of());
    }

    public static ModelPrices of(Map<String, ModelPrice> byModel) {
        return new ModelPrices(byModel);
    }

    /**
     * Reads the prices of a parsed {@code model_list} (the YAML's list of maps). {@code litellm_params} wins over
     * {@code model_info} where both name a price, as the parameters are what LiteLLM's router uses. When several
     * deployments share a {@code model_name}, the first priced one sets the price.
     *
     * @throws IllegalArgumentException naming the entry when a price is not a number of at least 0
     */
    public static ModelPrices fromModelList(List<?> modelList) {
        Map<String, ModelPrice> prices = new HashMap<>();
        for (int i = 0; i < modelList.size(); i++) {
            if (!(modelList.get(i) instanceof Map<?, ?> entry) || !(entry.get("model_name") instanceof String name)) {
                continue;
            }
            String at = "model_list[" + i + "]";
            Double input = price(entry, "input_cost_per_token", at);
            Double output = price(entry, "output_cost_per_token", at);
            if ((input != null || output != null) && !prices.containsKey(name)) {
                prices.put(name, new ModelPrice(input == null ? 0 : input, output == null ? 0 : output));
            }
        }
        return new ModelPrices(prices);
    }

    /** The price of this {@code model_name}, if the configuration gives one. */
    public Optional<ModelPrice> of(String model) {
        return model == null ? Optional.empty() : Optional.ofNullable(byModel.get(model));
    }

    private static Double price(Map<?, ?> entry, String field, String at) {
        for (String section : List.of("litellm_params", "model_info")) {
            if (entry.get(section) instanceof Map<?, ?> params && params.get(field) != null) {
                return number(params.get(field), at + "." + section + "." + field);
            }
        }
        return null;
    }

    private static double number(Object value, String at) {
        double number;
        if (value instanceof Number n) {
            number = n.doubleValue();
        } else {
            try {
                number = Double.parseDouble(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(at + ": expected a price per token such as 0.0000025, got \""
                        + value + "\"");
            }
        }
        if (!(number >= 0) || Double.isInfinite(number)) {
            throw new IllegalArgumentException(at + ": expected a price per token of at least 0, got " + value);
        }
        return number;
    }

    /** Equal prices are equal settings: a configuration read twice compares equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ModelPrices prices && byModel.equals(prices.byModel);
    }

    @Override
    public int hashCode() {
        return byModel.hashCode();
    }

    @Override
    public String toString() {
        return "ModelPrices" + byModel;
    }
}
