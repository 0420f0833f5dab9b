package io.claimgate.gateway.limits;

import io.claimgate.gateway.spend.Usage;
import java.util.Locale;

/**
 * Which tokens count against {@code tpm_limit}: LiteLLM's {@code general_settings.token_rate_limit_type}, default
 * {@code output}.
 */
public enum TokenCounting {
    OUTPUT,
    INPUT,
    TOTAL;

    /** LiteLLM reads an unknown value as {@code total}; so does this. {@code null} is the default, {@code output}. */
    public static TokenCounting fromLiteLlm(String value) {
        if (value == null) {
            return OUTPUT;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "output" -> OUTPUT;
            case "input" -> INPUT;
            default -> TOTAL;
        };
    }

    /** The tokens of this answer that count against a token limit. */
    public long count(Usage usage) {
        return switch (this) {
            case OUTPUT -> usage.completionTokens();
            case INPUT -> usage.promptTokens();
            case TOTAL -> usage.totalTokens();
        };
    }
}
