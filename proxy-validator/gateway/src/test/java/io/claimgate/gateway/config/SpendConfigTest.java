package io.claimgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.gateway.limits.TokenCounting;
import io.claimgate.model.SettingsException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpendConfigTest {

    private final GatewayConfigReader reader = new GatewayConfigReader(java.util.Map.of());

    @Test
    void defaultsToSpendAndLimitsOnWithUsageAskedAndLiteLlmsFlushInterval() {
        // when an empty file is read
        SpendConfig spend = reader.parse("").gateway().spend();

        // then
        assertThat(spend.enabled()).isTrue();
        assertThat(spend.streamUsage()).isTrue();
        assertThat(spend.flushInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spend.tokenCounting()).isEqualTo(TokenCounting.OUTPUT);
        assertThat(spend.spendLogs()).as("one LiteLLM_SpendLogs row per request by default").isTrue();
    }

    @Test
    void readsLiteLlmsDisableSpendLogsAsNoLogRowsAndNoLongerWarnsAboutIt() {
        // when
        GatewayConfig config = reader.parse("general_settings:\n  disable_spend_logs: true\n");

        // then
        assertThat(config.gateway().spend().spendLogs()).isFalse();
        assertThat(config.gateway().spend().enabled()).as("spend is still booked to its owners").isTrue();
        assertThat(config.warnings()).noneMatch(w -> w.contains("disable_spend_logs"));
    }

    @Test
    void refusesADisableSpendLogsThatIsNotABoolean() {
        assertThatThrownBy(() -> reader.parse("general_settings:\n  disable_spend_logs: sometimes\n"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("general_settings.disable_spend_logs");
    }

    @Test
    void readsItsGatewayKeysThePricesAndTheTokenRateLimitType() {
        // given
        String yaml = """
                model_list:
                  - model_name: gpt-4o
                    litellm_params: {model: openai/gpt-4o, input_cost_per_token: 0.0000025, output_cost_per_token: 0.00001}
                general_settings:
                  token_rate_limit_type: total
                gateway:
                  spend_tracking: false
                  stream_usage: false
                  spend_flush_interval: 2.5
                """;

        // when
        GatewayConfig config = reader.parse(yaml);
        SpendConfig spend = config.gateway().spend();

        // then
        assertThat(spend.enabled()).isFalse();
        assertThat(spend.streamUsage()).isFalse();
        assertThat(spend.flushInterval()).isEqualTo(Duration.ofMillis(2500));
        assertThat(spend.tokenCounting()).isEqualTo(TokenCounting.TOTAL);
        assertThat(config.warnings()).noneMatch(w -> w.contains("token_rate_limit_type"));
        assertThat(spend.prices().of("gpt-4o")).hasValueSatisfying(p ->
                assertThat(p.outputCostPerToken()).isEqualTo(0.00001));
    }

    @Test
    void refusesAFlushIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> reader.parse("gateway:\n  spend_flush_interval: 0\n"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("gateway.spend_flush_interval");
    }

    @Test
    void refusesASwitchThatIsNotABoolean() {
        assertThatThrownBy(() -> reader.parse("gateway:\n  stream_usage: maybe\n"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("gateway.stream_usage");
    }
}
