package io.claimgate.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

    private final GatewayMetrics metrics = new GatewayMetrics();

    @Test
    void countsRequestsByEndpointOutcomeAndReason() {
        metrics.recordRequest("proxy", "denied", "token_expired", Duration.ofMillis(3));
        metrics.recordRequest("proxy", "denied", "token_expired", Duration.ofMillis(5));

        assertThat(metrics.scrape()).contains(
                "claimgate_requests_total{endpoint=\"proxy\",outcome=\"denied\",reason=\"token_expired\"} 2.0");
    }

    @Test
    void keepsEveryLabelSetApartAndTimesEachEndpointAndOutcome() {
        metrics.recordRequest("proxy", "allowed", "none", Duration.ofMillis(2));
        metrics.recordRequest("proxy", "denied", "team_blocked", Duration.ofMillis(4));
        metrics.recordRequest("proxy", "denied", "model_not_allowed", Duration.ofMillis(6));
        metrics.recordRequest("auth", "allowed", "none", Duration.ofMillis(1));
        metrics.recordRequest("proxy", "denied", "team_blocked", Duration.ofMillis(8));

        assertThat(metrics.scrape())
                .contains("claimgate_requests_total{endpoint=\"proxy\",outcome=\"allowed\",reason=\"none\"} 1.0")
                .contains("claimgate_requests_total{endpoint=\"proxy\",outcome=\"denied\",reason=\"team_blocked\"} 2.0")
                .contains("claimgate_requests_total{endpoint=\"proxy\",outcome=\"denied\",reason=\"model_not_allowed\"} 1.0")
                .contains("claimgate_requests_total{endpoint=\"auth\",outcome=\"allowed\",reason=\"none\"} 1.0")
                // one timer per endpoint and outcome, whatever the reason: three denied proxy requests in one
                .contains("claimgate_request_duration_seconds_count{endpoint=\"proxy\",outcome=\"denied\"} 3")
                .contains("claimgate_request_duration_seconds_count{endpoint=\"auth\",outcome=\"allowed\"} 1");
    }

    @Test
    void readsTheIntegratorsSuppliersWhenScraped() {
        AtomicInteger fetches = new AtomicInteger();
        AtomicInteger inUse = new AtomicInteger();
        metrics.counter("claimgate.jwks.fetches", "JWKS fetches", fetches::get)
                .gauge("claimgate.db.connections.active", "Connections in use", inUse::get);

        fetches.set(3);
        inUse.set(2);

        assertThat(metrics.scrape()).contains("claimgate_jwks_fetches_total 3.0")
                .contains("claimgate_db_connections_active 2.0");
    }

    @Test
    void keepsCountingAfterTheGarbageCollectorRanThoughNothingElseHoldsTheSupplier() {
        AtomicInteger hits = new AtomicInteger();
        // given a counter registered with a method reference made for the call, as the gateway's wiring does
        metrics.counter("claimgate.cache.hits", "Cache hits", hits::get);
        hits.set(41);

        // when the collector has run (Micrometer holds a function counter's state weakly)
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        hits.incrementAndGet();

        // then the counter still reads its supplier
        assertThat(metrics.scrape()).contains("claimgate_cache_hits_total 42.0");
    }
}
