package io.claimgate.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The gateway's Prometheus metrics: requests by endpoint, outcome and reason, and their latency as a histogram.
 *
 * <p>Other parts report through {@link #gauge}, {@link #counter} or a Micrometer {@link MeterBinder} (Caffeine and
 * HikariCP have ready-made ones): the integrator passes JWKS fetch counts, cache hits and pool sizes as suppliers, so
 * this class depends on none of them.
 */
public final class GatewayMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * What the function counters read. Micrometer holds a function counter's state object only weakly, so a supplier
     * nothing else references (a method reference made for the call) was collected and the counter read 0 from then
     * on: the cache hit counters and the Redis fallback counter read 0 while they counted.
     */
    private final List<Supplier<Number>> counted = new CopyOnWriteArrayList<>();
    /**
     * The request meters, built once per label set: building one per request (Micrometer's builder, its tags sorted,
     * its id looked up in the registry) cost a few hundred nanoseconds on every request. The labels are bounded
     * (endpoints, outcomes and refusal reasons are fixed sets), so the maps stay small.
     */
    private final ConcurrentMap<RequestLabels, Counter> requestCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<RequestLabels, Timer> requestTimers = new ConcurrentHashMap<>();

    /** The registry, e.g. for HikariCP's {@code MicrometerMetricsTrackerFactory}. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Adds a binder's meters, e.g. {@code new CaffeineCacheMetrics(...)}. */
    public GatewayMetrics bind(MeterBinder binder) {
        binder.bindTo(registry);
        return this;
    }

    /** A value that goes up and down, read when scraped (pool connections in use, cached keys). */
    public GatewayMetrics gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
        return this;
    }

    /** A total that only grows, read when scraped (JWKS fetches, cache hits). */
    public GatewayMetrics counter(String name, String description, Supplier<Number> total) {
        counted.add(total);
        FunctionCounter.builder(name, total, s -> s.get().doubleValue()).description(description).register(registry);
        return this;
    }

    /**
     * Records one request.
     *
     * @param endpoint {@code auth}, {@code proxy}, {@code management}, {@code models}
     * @param outcome  {@code allowed}, {@code denied} or {@code error}
     * @param reason   the refusal's stable label ({@code AuthException.reason()}), or {@code none}
     */
    public void recordRequest(String endpoint, String outcome, String reason, Duration elapsed) {
        requestCounters.computeIfAbsent(new RequestLabels(endpoint, outcome, reason), labels ->
                Counter.builder("claimgate.requests").description("Requests by endpoint, outcome and refusal reason")
                        .tag("endpoint", endpoint).tag("outcome", outcome).tag("reason", reason)
                        .register(registry)).increment();
        requestTimers.computeIfAbsent(new RequestLabels(endpoint, outcome, ""), labels ->
                Timer.builder("claimgate.request.duration").description("Time to authenticate and answer or forward")
                        .tag("endpoint", endpoint).tag("outcome", outcome).publishPercentileHistogram()
                        .register(registry)).record(elapsed);
    }

    /** The labels of one request meter; the timer's leave the reason empty. */
    private record RequestLabels(String endpoint, String outcome, String reason) {
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
