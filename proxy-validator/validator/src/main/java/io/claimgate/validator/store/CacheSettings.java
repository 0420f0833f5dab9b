package io.claimgate.validator.store;

import io.claimgate.model.SettingsException;
import java.time.Duration;
import java.util.Objects;

/**
 * How long looked-up objects are kept in memory.
 *
 * @param positiveTtl how long a found object is served from memory (default 60 s, as LiteLLM); a change made by the
 *                    management API applies at once through invalidation, one made directly in the database after
 *                    at most this long
 * @param negativeTtl how long "not found" is remembered (default 5 s, as LiteLLM's negative-lookup throttle), so that a
 *                    flood of unknown ids costs one query per id per period
 * @param maximumSize entries kept per kind of object at most (default 10 000); the least useful go first
 */
public record CacheSettings(Duration positiveTtl, Duration negativeTtl, long maximumSize) {

    public static final Duration DEFAULT_POSITIVE_TTL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);
    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

    public CacheSettings {
        requirePositive("cache.positive_ttl", positiveTtl);
        requirePositive("cache.negative_ttl", negativeTtl);
        if (maximumSize < 1) {
            throw new SettingsException("cache.maximum_size", "is " + maximumSize + "; must be at least 1");
        }
    }

    /** LiteLLM's TTLs and a bound fit for tens of thousands of users. */
    public static CacheSettings defaults() {
        return new CacheSettings(DEFAULT_POSITIVE_TTL, DEFAULT_NEGATIVE_TTL, DEFAULT_MAXIMUM_SIZE);
    }

    private static void requirePositive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new SettingsException(key, "is " + value + "; must be positive");
        }
    }
}
