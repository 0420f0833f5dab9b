package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {

    private static final ModelPrices PRICES = ModelPrices.fromModelList(List.of(
            Map.of("model_name", "gpt-4o", "litellm_params",
                    Map.of("model", "openai/gpt-4o", "input_cost_per_token", 0.0000025,
                            "output_cost_per_token", "0.00001")),
            Map.of("model_name", "claude", "model_info",
                    Map.of("input_cost_per_token", 0.000003, "output_cost_per_token", 0.000015)),
            Map.of("model_name", "free-local", "litellm_params", Map.of("model", "ollama/llama3"))));

    private final CostCalculator calculator = new CostCalculator(PRICES);

    @Test
    void takesTheUpstreamLiteLlmCostHeaderOverPrices() {
        Cost cost = calculator.cost("gpt-4o", Usage.of(1000, 1000), "0.0421");

        assertThat(cost).isEqualTo(new Cost(0.0421, Cost.Source.UPSTREAM_HEADER));
    }

    @Test
    void pricesPromptAndCompletionTokensFromLiteLlmParams() {
        Cost cost = calculator.cost("gpt-4o", Usage.of(1000, 200), null);

        assertThat(cost.source()).isEqualTo(Cost.Source.MODEL_PRICE);
        assertThat(cost.amount()).isCloseTo(1000 * 0.0000025 + 200 * 0.00001, within(1e-12));
    }

    @Test
    void pricesFromModelInfoWhenLiteLlmParamsNameNoPrice() {
        Cost cost = calculator.cost("claude", Usage.of(100, 10), "");

        assertThat(cost.amount()).isCloseTo(100 * 0.000003 + 10 * 0.000015, within(1e-12));
    }

    @Test
    void ignoresACostHeaderThatIsNotAFiniteNonNegativeNumber() {
        for (String header : List.of("NaN", "-1", "Infinity", "abc", "1e400")) {
            assertThat(calculator.cost("gpt-4o", Usage.of(1000, 0), header))
                    .as(header).isEqualTo(new Cost(1000 * 0.0000025, Cost.Source.MODEL_PRICE));
        }
    }

    @Test
    void recordsAnUnpricedModelAtZeroAndCountsEveryAnswer() {
        Cost first = calculator.cost("free-local", Usage.of(50, 50), null);
        calculator.cost("free-local", Usage.of(50, 50), null);
        calculator.cost("unknown", Usage.NONE, null);

        assertThat(first).isEqualTo(new Cost(0, Cost.Source.UNPRICED));
        assertThat(calculator.unpricedAnswers()).isEqualTo(3);
    }

    @Test
    void letsLiteLlmParamsWinOverModelInfo() {
        ModelPrices prices = ModelPrices.fromModelList(List.of(Map.of("model_name", "m",
                "litellm_params", Map.of("input_cost_per_token", 2.0),
                "model_info", Map.of("input_cost_per_token", 1.0, "output_cost_per_token", 3.0))));

        assertThat(prices.of("m")).contains(new ModelPrice(2.0, 3.0));
    }

    @Test
    void refusesAPriceThatIsNotANumberNamingWhereItIs() {
        assertThatThrownBy(() -> ModelPrices.fromModelList(List.of(Map.of("model_name", "m",
                "litellm_params", Map.of("output_cost_per_token", "cheap")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model_list[0].litellm_params.output_cost_per_token");
        assertThatThrownBy(() -> ModelPrices.fromModelList(List.of(Map.of("model_name", "m",
                "model_info", Map.of("input_cost_per_token", -0.1)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model_list[0].model_info.input_cost_per_token");
    }

    @Test
    void formatsTheCostAsLiteLlmsResponseHeader() {
        assertThat(new Cost(0.0421, Cost.Source.MODEL_PRICE).headerValue()).isEqualTo("0.0421");
    }
}
