package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.limits.LimitMetrics;
import io.claimgate.gateway.limits.LimitScope;
import io.claimgate.gateway.limits.RateLimit;
import io.claimgate.gateway.limits.RateLimiter;
import io.claimgate.gateway.metrics.GatewayMetrics;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class SpendMetricsTest {

    @Test
    void reportsSpendAndLimitCountsUnderTheirDocumentedNames() {
        // given
        GatewayMetrics metrics = new GatewayMetrics();
        CostCalculator costs = new CostCalculator(ModelPrices.none());
        SpendLedger ledger = SpendLedger.manual(unusedDataSource(), SpendSettings.defaults());
        RateLimiter limiter = RateLimiter.withDefaults();
        SpendMetrics.register(metrics, costs, ledger);
        LimitMetrics.register(metrics, limiter);

        // when
        costs.cost("unpriced-model", Usage.NONE, null);
        ledger.record(new SpendRecord("r-1", "acompletion", "m", null, null, null, null, Usage.NONE, 0,
                Instant.EPOCH, Instant.EPOCH));
        limiter.admit(List.of(new RateLimit(LimitScope.TEAM, "t", 10L, null, null)));

        // then
        assertThat(metrics.scrape())
                .contains("claimgate_spend_unpriced_answers_total 1.0")
                .contains("claimgate_spend_pending_records 1.0")
                .contains("claimgate_spend_written_total 0.0")
                .contains("claimgate_spend_dropped_total 0.0")
                .contains("claimgate_spend_failed_flushes_total 0.0")
                .contains("claimgate_ratelimit_tracked_subjects 1.0");
    }

    private static DataSource unusedDataSource() {
        return (DataSource) java.lang.reflect.Proxy.newProxyInstance(SpendMetricsTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new AssertionError("the ledger must not touch the database before a flush");
                });
    }
}
