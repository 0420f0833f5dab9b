package io.claimgate.benchmarks.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.benchmarks.gateway.GatewayBars.Verdict;
import io.claimgate.benchmarks.gateway.MeteringCost.Comparison;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MeteringCostTest {

    /** Both gateways of one run, limits and spend on costing 4 % of the proxy path, figures as run.sh writes them. */
    private static Properties run() {
        Properties p = new Properties();
        p.setProperty("modes", "off,on");
        row(p, "off.row.gateway", 8_000, 0);
        row(p, "on.row.gateway", 7_680, 0);
        row(p, "off.row.auth", 15_000, 0);
        row(p, "on.row.auth", 14_850, 0);
        p.setProperty("off.row.gateway.cpu.gateway.us", "180.0");
        p.setProperty("on.row.gateway.cpu.gateway.us", "198.0");
        p.setProperty("off.row.gateway.cpu.db.us", "0.0");
        p.setProperty("on.row.gateway.cpu.db.us", "6.5");
        p.setProperty("off.row.auth.cpu.gateway.us", "90.0");
        p.setProperty("on.row.auth.cpu.gateway.us", "91.8");
        p.setProperty("off.row.auth.cpu.db.us", "0.0");
        p.setProperty("on.row.auth.cpu.db.us", "0.0");
        p.setProperty("on.limiter", "counted");
        p.setProperty("off.limiter", "skipped");
        return p;
    }

    private static void row(Properties p, String prefix, double rps, long failed) {
        p.setProperty(prefix + ".rps", Double.toString(rps));
        p.setProperty(prefix + ".p50", "5.0");
        p.setProperty(prefix + ".p99", "14.0");
        p.setProperty(prefix + ".ok", Long.toString((long) rps * 30));
        p.setProperty(prefix + ".failed", Long.toString(failed));
    }

    private static Comparison comparison(Properties p, String name) {
        return new MeteringCost(new GatewayFigures(p)).comparisons().stream().filter(c -> c.name().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void aProxyPathDropOfAtMostFivePercentPasses() {
        // given / when
        Comparison proxy = comparison(run(), "Proxy path throughput");

        // then
        assertThat(proxy.verdict()).isEqualTo(Verdict.PASS);
        assertThat(proxy.off()).isEqualTo("8,000 req/s");
        assertThat(proxy.on()).isEqualTo("7,680 req/s");
        assertThat(proxy.change()).isEqualTo("-4.0 %");
        assertThat(proxy.bar()).isEqualTo("<= 5 % drop");
    }

    @Test
    void aProxyPathDropOfMoreThanFivePercentFails() {
        // given: 7,590 of 8,000 req/s is a 5.1 % drop
        Properties run = run();
        row(run, "on.row.gateway", 7_590, 0);

        // when
        Comparison proxy = comparison(run, "Proxy path throughput");

        // then
        assertThat(proxy.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(proxy.change()).isEqualTo("-5.1 %");
    }

    @Test
    void aGatewayFasterWithLimitsOnPasses() {
        // given: drift left the spend-on row ahead
        Properties run = run();
        row(run, "on.row.gateway", 8_200, 0);

        // when / then
        assertThat(comparison(run, "Proxy path throughput").verdict()).isEqualTo(Verdict.PASS);
        assertThat(comparison(run, "Proxy path throughput").change()).isEqualTo("+2.5 %");
    }

    @Test
    void aRowWithFailedAnswersFailsTheBarWhateverItsSpeed() {
        // given: the spend-on gateway refused a few requests (a refusal is cheaper than the work it skips)
        Properties refused = run();
        row(refused, "on.row.gateway", 9_000, 7);
        Properties offFailed = run();
        row(offFailed, "off.row.gateway", 7_700, 1);

        // when
        Comparison onRow = comparison(refused, "Proxy path throughput");

        // then
        assertThat(onRow.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(onRow.on()).contains("7 failed");
        assertThat(comparison(offFailed, "Proxy path throughput").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aSpendOnRowWhoseRateLimiterCountedNothingFails() {
        // given: the team had no limits, so the limiter admitted every request before counting it
        Properties run = run();
        run.setProperty("on.limiter", "skipped");

        // when
        Comparison proxy = comparison(run, "Proxy path throughput");

        // then
        assertThat(proxy.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(proxy.change()).contains("the rate limiter counted nothing");
    }

    @Test
    void authThroughputAndCpuPerRequestAreInformationalWithTheirChange() {
        // given / when
        Comparison auth = comparison(run(), "`/auth` throughput");
        Comparison gatewayCpu = comparison(run(), "Gateway CPU per request, proxy path");
        Comparison databaseCpu = comparison(run(), "PostgreSQL CPU per request, proxy path");
        Comparison authCpu = comparison(run(), "Gateway CPU per request, `/auth`");

        // then
        assertThat(auth.verdict()).isEqualTo(Verdict.INFORMATIONAL);
        assertThat(auth.change()).isEqualTo("-1.0 %");
        assertThat(gatewayCpu.verdict()).isEqualTo(Verdict.INFORMATIONAL);
        assertThat(gatewayCpu.off()).isEqualTo("180.0 µs");
        assertThat(gatewayCpu.on()).isEqualTo("198.0 µs");
        assertThat(gatewayCpu.change()).isEqualTo("+10.0 %");
        // a database that did nothing with limits off has no percentage to grow by
        assertThat(databaseCpu.on()).isEqualTo("6.5 µs");
        assertThat(databaseCpu.change()).isEqualTo("—");
        assertThat(authCpu.change()).isEqualTo("+2.0 %");
    }

    @Test
    void withOnlyOneGatewayMeasuredNothingIsComparedAndNothingPasses() {
        // given: GATEWAY_MODES=on
        Properties run = run();
        run.setProperty("modes", "on");
        run.keySet().removeIf(k -> k.toString().startsWith("off."));

        // when
        var comparisons = new MeteringCost(new GatewayFigures(run)).comparisons();

        // then
        assertThat(comparisons).hasSize(6).extracting(Comparison::verdict).containsOnly(Verdict.NOT_MEASURED);
        assertThat(comparisons.get(0).on()).isEqualTo("7,680 req/s");
        assertThat(comparisons.get(0).off()).isEqualTo("—");
    }

    @Test
    void theMeasuredGatewaysAreReadOffBeforeOnWhateverOrderRunShWroteThem() {
        assertThat(GatewayMode.parse("on,off")).containsExactly(GatewayMode.OFF, GatewayMode.ON);
        assertThat(GatewayMode.parse("on")).containsExactly(GatewayMode.ON);
        assertThat(GatewayMode.parse("")).isEmpty();
    }
}
