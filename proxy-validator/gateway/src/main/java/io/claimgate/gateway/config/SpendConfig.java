package io.claimgate.gateway.config;

import io.claimgate.gateway.limits.TokenCounting;
import io.claimgate.gateway.spend.ModelPrices;
import io.claimgate.model.SettingsException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the gateway needs to meter requests: whether it records spend and enforces limits, how often spend is
 * written, whether streamed chat completions are asked for their usage, the {@code model_list} prices and which
 * tokens count against {@code tpm_limit}.
 *
 * @param enabled        {@code gateway.spend_tracking}, default on: rate limits enforced, spend recorded
 * @param streamUsage    {@code gateway.stream_usage}, default on: a streamed chat completion that does not ask for its
 *                       usage is asked for it (the client then sees OpenAI's final usage chunk)
 * @param flushInterval  {@code gateway.spend_flush_interval} in seconds, default 10 (LiteLLM's
 *                       {@code proxy_batch_write_at}): how often recorded spend is written, and what a crash may lose
 * @param prices         {@code input_cost_per_token} / {@code output_cost_per_token} of the {@code model_list} entries
 * @param tokenCounting  {@code general_settings.token_rate_limit_type}, default {@code output}
 */
public record SpendConfig(boolean enabled, boolean streamUsage, Duration flushInterval, ModelPrices prices,
                          TokenCounting tokenCounting) {

    /** The {@code gateway:} keys read here. */
    public static final Set<String> KEYS = Set.of("spend_tracking", "stream_usage", "spend_flush_interval");
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(10);

    public SpendConfig {
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(prices, "prices");
        Objects.requireNonNull(tokenCounting, "tokenCounting");
        if (flushInterval.isZero() || flushInterval.isNegative()) {
            throw new SettingsException("gateway.spend_flush_interval", "must be positive, got " + flushInterval);
        }
    }

    /** On, with LiteLLM's defaults and no prices. */
    public static SpendConfig defaults() {
        return new SpendConfig(true, true, DEFAULT_FLUSH_INTERVAL, ModelPrices.none(), TokenCounting.OUTPUT);
    }

    /** Off: no limits, no spend, requests forwarded as they came. */
    public static SpendConfig off() {
        return new SpendConfig(false, false, DEFAULT_FLUSH_INTERVAL, ModelPrices.none(), TokenCounting.OUTPUT);
    }

    public SpendConfig withFlushInterval(Duration interval) {
        return new SpendConfig(enabled, streamUsage, interval, prices, tokenCounting);
    }

    public SpendConfig withPrices(ModelPrices newPrices) {
        return new SpendConfig(enabled, streamUsage, flushInterval, newPrices, tokenCounting);
    }

    public SpendConfig withStreamUsage(boolean on) {
        return new SpendConfig(enabled, on, flushInterval, prices, tokenCounting);
    }

    /**
     * Reads the keys of {@link #KEYS} from the {@code gateway:} section, the prices from {@code model_list} and
     * {@code token_rate_limit_type} from {@code general_settings}.
     *
     * @throws SettingsException naming the key when a value is not of its type
     */
    public static SpendConfig read(Map<String, Object> gateway, Object modelList, Map<String, Object> general) {
        boolean enabled = flag(gateway, "spend_tracking", true);
        boolean streamUsage = flag(gateway, "stream_usage", true);
        Duration interval = DEFAULT_FLUSH_INTERVAL;
        Object seconds = gateway.get("spend_flush_interval");
        if (seconds != null) {
            double value;
            try {
                value = Double.parseDouble(seconds.toString().trim());
            } catch (NumberFormatException e) {
                throw new SettingsException("gateway.spend_flush_interval", "must be a number of seconds, got "
                        + seconds);
            }
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new SettingsException("gateway.spend_flush_interval", "must be positive, got " + seconds);
            }
            interval = Duration.ofMillis(Math.max(1, Math.round(value * 1000)));
        }
        ModelPrices prices;
        try {
            prices = modelList instanceof List<?> list ? ModelPrices.fromModelList(list) : ModelPrices.none();
        } catch (IllegalArgumentException e) {
            throw new SettingsException("model_list", e.getMessage());
        }
        Object type = general.get("token_rate_limit_type");
        return new SpendConfig(enabled, streamUsage, interval, prices,
                TokenCounting.fromLiteLlm(type == null ? null : type.toString()));
    }

    private static boolean flag(Map<String, Object> section, String key, boolean otherwise) {
        Object value = section.get(key);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (value.toString().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SettingsException("gateway." + key, "must be true or false, got " + value);
        };
    }
}
