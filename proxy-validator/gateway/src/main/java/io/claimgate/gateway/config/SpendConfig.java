package io.claimgate.gateway.config;

import io.claimgate.gateway.limits.TokenCounting;
import io.claimgate.gateway.limits.redis.RedisSettings;
import io.claimgate.gateway.spend.ModelPrices;
import io.claimgate.model.ConfigValues;
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
 * @param redis          the Redis the replicas count their rate limits in ({@code REDIS_*} or
 *                       {@code litellm_settings.cache_params}), or {@code null}: each replica counts alone
 * @param spendLogs      one {@code LiteLLM_SpendLogs} row per request, unless
 *                       {@code general_settings.disable_spend_logs} is true (LiteLLM's setting, default false): then
 *                       only the owners' spend is added
 */
public record SpendConfig(boolean enabled, boolean streamUsage, Duration flushInterval, ModelPrices prices,
                          TokenCounting tokenCounting, RedisSettings redis, boolean spendLogs) {

    /** The {@code gateway:} keys read here. */
    public static final Set<String> KEYS = Set.of("spend_tracking", "stream_usage", "spend_flush_interval",
            "redis_fallback_replicas");
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
        return new SpendConfig(true, true, DEFAULT_FLUSH_INTERVAL, ModelPrices.none(), TokenCounting.OUTPUT, null,
                true);
    }

    /** Off: no limits, no spend, requests forwarded as they came. */
    public static SpendConfig off() {
        return new SpendConfig(false, false, DEFAULT_FLUSH_INTERVAL, ModelPrices.none(), TokenCounting.OUTPUT, null,
                true);
    }

    public SpendConfig withFlushInterval(Duration interval) {
        return new SpendConfig(enabled, streamUsage, interval, prices, tokenCounting, redis, spendLogs);
    }

    public SpendConfig withPrices(ModelPrices newPrices) {
        return new SpendConfig(enabled, streamUsage, flushInterval, newPrices, tokenCounting, redis, spendLogs);
    }

    public SpendConfig withStreamUsage(boolean on) {
        return new SpendConfig(enabled, on, flushInterval, prices, tokenCounting, redis, spendLogs);
    }

    /**
     * Reads the keys of {@link #KEYS} from the {@code gateway:} section, the prices from {@code model_list} and
     * {@code token_rate_limit_type} from {@code general_settings}.
     *
     * @throws SettingsException naming the key when a value is not of its type
     */
    public SpendConfig withRedis(RedisSettings shared) {
        return new SpendConfig(enabled, streamUsage, flushInterval, prices, tokenCounting, shared, spendLogs);
    }

    public SpendConfig withSpendLogs(boolean written) {
        return new SpendConfig(enabled, streamUsage, flushInterval, prices, tokenCounting, redis, written);
    }

    public static SpendConfig read(ConfigValues values, Map<String, Object> gateway, Object modelList,
                                   Map<String, Object> general) {
        boolean enabled = values.bool("gateway.spend_tracking", gateway.get("spend_tracking"), true);
        boolean streamUsage = values.bool("gateway.stream_usage", gateway.get("stream_usage"), true);
        Duration interval = values.positiveSeconds("gateway.spend_flush_interval", gateway.get("spend_flush_interval"),
                DEFAULT_FLUSH_INTERVAL);
        ModelPrices prices;
        try {
            prices = modelList instanceof List<?> list ? ModelPrices.fromModelList(list) : ModelPrices.none();
        } catch (IllegalArgumentException e) {
            throw new SettingsException("model_list", e.getMessage());
        }
        boolean disableSpendLogs = values.bool("general_settings.disable_spend_logs",
                general.get("disable_spend_logs"), false);
        return new SpendConfig(enabled, streamUsage, interval, prices, TokenCounting.fromLiteLlm(
                values.string("general_settings.token_rate_limit_type", general.get("token_rate_limit_type"))), null,
                !disableSpendLogs);
    }
}
