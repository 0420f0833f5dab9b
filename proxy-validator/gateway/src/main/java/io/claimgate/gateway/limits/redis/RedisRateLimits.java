package io.claimgate.gateway.limits.redis;

import io.claimgate.gateway.limits.RateLimiter;
import io.claimgate.gateway.metrics.GatewayMetrics;

import java.time.Clock;
import java.time.Duration;

/**
 * Rate limits shared by several gateway replicas through one Redis: gives the {@link RateLimiter} its shared
 * windows, registers what they report, and closes the connection on shutdown.
 *
 * <pre>{@code
 * Optional<RedisSettings> redis = RedisSettings.from(env, litellmSettings);
 * RedisRateLimits shared = RedisRateLimits.start(redis.get().withFallbackReplicas(3));
 * RateLimiter limiter = shared.limiter();          // instead of RateLimiter.withDefaults()
 * shared.registerMetrics(metrics);
 * ...
 * shared.close();                                  // on shutdown, after the server stopped
 * }</pre>
 */
public final class RedisRateLimits implements AutoCloseable {

    /**
     * How long {@link #start} waits for a connection, retrying, so that a healthy Redis is shared from the first
     * request; past it the gateway starts counting per replica and goes on connecting in the background.
     */
    private static final Duration FIRST_CONNECTION = Duration.ofSeconds(2);

    private final RedisConnection connection;
    private final RedisWindows windows;

    private RedisRateLimits(RedisConnection connection, RedisWindows windows) {
        this.connection = connection;
        this.windows = windows;
    }

    /**
     * Connects to Redis, waiting up to 2 s for it. Never fails for a Redis that is down or refuses the password: the
     * limiter then counts per replica, and the connection is retried in the background until Redis answers.
     */
    public static RedisRateLimits start(RedisSettings settings) {
        RedisConnection connection = new RedisConnection(settings);
        connection.awaitConnection(FIRST_CONNECTION);
        return new RedisRateLimits(connection, new RedisWindows(connection, settings));
    }

    /** A limiter with LiteLLM's 60 s windows, shared through this Redis. Each call gives a new limiter. */
    public RateLimiter limiter() {
        return new RateLimiter(RateLimiter.DEFAULT_WINDOW, Clock.systemUTC(), windows);
    }

    /** Whether Redis answered the last call: the limits are shared rather than per replica. */
    public boolean shared() {
        return windows.available();
    }

    /**
     * Adds {@code claimgate_ratelimit_redis_available} (1 while the limits are shared),
     * {@code claimgate_ratelimit_redis_fallbacks_total} (admissions counted per replica because Redis did not answer)
     * and {@code claimgate_ratelimit_redis_unfinished_total} (answers whose tokens and slots could not reach Redis).
     */
    public void registerMetrics(GatewayMetrics metrics) {
        metrics.gauge("claimgate.ratelimit.redis.available", "1 while the rate limits are shared through Redis, "
                + "0 while each replica counts alone", () -> shared() ? 1 : 0);
        metrics.counter("claimgate.ratelimit.redis.fallbacks", "Requests whose rate limits were counted on this "
                + "replica alone because Redis did not answer", windows::fallbacks);
        metrics.counter("claimgate.ratelimit.redis.unfinished", "Finished requests whose tokens and parallel slot "
                + "could not be given to Redis (the slot frees by its lease)", windows::unfinished);
    }

    /** Admissions counted per replica so far: the fallback metric's value. */
    public long fallbacks() {
        return windows.fallbacks();
    }

    @Override
    public void close() {
        connection.close();
    }
}
