package io.claimgate.gateway.config;

import java.time.Duration;

/**
 * How long and how slowly a caller may send a request body, and how many bodies are read at once. Bodies are read
 * only from authenticated callers, but an authenticated caller can still stall an upload; these bound what that
 * costs.
 *
 * @param timeout           the whole body must arrive within this ({@code gateway.body_read_timeout}); else 408
 * @param minBytesPerSecond after its first second, a body arriving slower than this on average is refused with 408
 *                          ({@code gateway.body_min_bytes_per_second}); 0 turns the check off
 * @param maxConcurrent     bodies read at the same time ({@code gateway.max_concurrent_body_reads}); one more is
 *                          answered 503 at once, with {@code Retry-After}
 */
public record BodyReadLimits(Duration timeout, long minBytesPerSecond, int maxConcurrent) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MIN_BYTES_PER_SECOND = 1024;
    public static final int DEFAULT_MAX_CONCURRENT = 128;

    public BodyReadLimits {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("body read timeout must be positive");
        }
        if (minBytesPerSecond < 0 || maxConcurrent < 1) {
            throw new IllegalArgumentException("body rate must be >= 0 and concurrent reads >= 1");
        }
    }

    /** Every default. */
    public static BodyReadLimits defaults() {
        return new BodyReadLimits(DEFAULT_TIMEOUT, DEFAULT_MIN_BYTES_PER_SECOND, DEFAULT_MAX_CONCURRENT);
    }
}
