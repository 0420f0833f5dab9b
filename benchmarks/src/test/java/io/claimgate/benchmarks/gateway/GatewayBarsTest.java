package io.claimgate.benchmarks.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.benchmarks.gateway.GatewayBars.Bar;
import io.claimgate.benchmarks.gateway.GatewayBars.Verdict;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class GatewayBarsTest {

    /** A run where every bar is met: the figures run.sh writes, with round numbers. */
    private static Properties passingRun() {
        Properties p = new Properties();
        row(p, "row.direct", 16_000, 2.0, 6.0, 480_000, 0);
        row(p, "row.nginx", 14_000, 3.0, 8.0, 420_000, 0);
        row(p, "row.gateway", 8_000, 5.0, 14.0, 240_000, 0);
        row(p, "row.auth", 15_000, 3.0, 7.0, 450_000, 0);
        p.setProperty("fixed.rate", "4650");
        row(p, "fixed.nginx", 4_640, 0.4, 1.2, 139_200, 0);
        row(p, "fixed.gateway", 4_630, 0.7, 2.0, 138_900, 0);
        p.setProperty("rss.peak.mb", "200");
        p.setProperty("rss.nginx.mb", "4");
        p.setProperty("curve", "1000 3000 5000 6500 7000 7900");
        p.setProperty("curve.failed", "0");
        p.setProperty("stream.direct.ms", "16.10");
        p.setProperty("stream.gateway.ms", "16.60");
        p.setProperty("stream.direct.tail.ms", "15.40");
        p.setProperty("stream.gateway.tail.ms", "15.20");
        p.setProperty("stream.failed", "0");
        p.setProperty("stream.requests", "200");
        return p;
    }

    private static void row(Properties p, String prefix, double rps, double p50, double p99, long ok, long failed) {
        p.setProperty(prefix + ".rps", Double.toString(rps));
        p.setProperty(prefix + ".p50", Double.toString(p50));
        p.setProperty(prefix + ".p99", Double.toString(p99));
        p.setProperty(prefix + ".ok", Long.toString(ok));
        p.setProperty(prefix + ".failed", Long.toString(failed));
    }

    private static Bar bar(Properties p, String nameStart) {
        return new GatewayBars(p).bars().stream().filter(b -> b.name().startsWith(nameStart)).findFirst()
                .orElseThrow();
    }

    @Test
    void everyBarPassesWhenEveryFigureIsWithinItsBar() {
        // given / when
        var bars = new GatewayBars(passingRun()).bars();

        // then
        assertThat(bars).extracting(Bar::verdict).containsOnly(Verdict.PASS);
        assertThat(bars).hasSize(6);
    }

    @Test
    void proxyThroughputIsJudgedAsARatioToNginxInTheSameRun() {
        // given: the gateway at 0.49x nginx
        Properties run = passingRun();
        row(run, "row.gateway", 6_860, 5.0, 14.0, 205_800, 0);

        // when
        Bar proxy = bar(run, "Proxy path throughput");

        // then
        assertThat(proxy.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(proxy.value()).startsWith("0.49x");
        assertThat(proxy.baseline()).contains("14,000 req/s");
    }

    @Test
    void aFastRowWithFailedAnswersFails() {
        // given: /auth far above nginx, but 12 answers were not 2xx
        Properties run = passingRun();
        row(run, "row.auth", 40_000, 1.0, 2.0, 1_199_988, 12);

        // when
        Bar auth = bar(run, "`/auth` throughput");

        // then
        assertThat(auth.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(auth.value()).contains("12 failed");
    }

    @Test
    void aFailedBaselineFailsTheBarBuiltOnIt() {
        // given: nginx answered errors, so its speed is no floor
        Properties run = passingRun();
        row(run, "row.nginx", 14_000, 3.0, 8.0, 420_000, 3);

        // when / then
        assertThat(bar(run, "Proxy path throughput").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void addedP99IsTheGatewaysP99MinusNginxsAtTheSameRate() {
        // given: 2.3 ms against 1.2 ms
        Properties run = passingRun();
        row(run, "fixed.gateway", 4_630, 0.7, 2.3, 138_900, 0);

        // when
        Bar p99 = bar(run, "Added p99");

        // then
        assertThat(p99.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(p99.value()).startsWith("+1.10 ms");
        assertThat(p99.name()).contains("4,650 req/s");
    }

    @Test
    void aFixedRateRunThatFellBehindItsRateFails() {
        // given: low p99, but the gateway delivered 3,000 of 4,650 req/s
        Properties run = passingRun();
        row(run, "fixed.gateway", 3_000, 0.5, 1.5, 90_000, 0);

        // when
        Bar p99 = bar(run, "Added p99");

        // then
        assertThat(p99.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(p99.value()).contains("rate not kept");
    }

    @Test
    void peakRssAboveTheBarFails() {
        // given
        Properties run = passingRun();
        run.setProperty("rss.peak.mb", "332");

        // when / then
        assertThat(bar(run, "Peak RSS").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void warmUpIsTheFirstSecondReachingEightyPercentOfTheSteadyThroughput() {
        // given: steady 8,000 req/s; 6,400 is first reached in the 4th slice
        Properties run = passingRun();
        run.setProperty("curve", "1000 3000 6399 6400 5000");

        // when
        Bar warmup = bar(run, "Warm-up");

        // then
        assertThat(warmup.value()).isEqualTo("4 s");
        assertThat(warmup.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void warmUpNeverReachedOrSlowerThanFifteenSecondsFails() {
        // given
        Properties never = passingRun();
        never.setProperty("curve", "1000 2000 3000");
        Properties slow = passingRun();
        slow.setProperty("curve", "1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 7000");

        // when / then
        assertThat(bar(never, "Warm-up").value()).isEqualTo("not within 3 s");
        assertThat(bar(never, "Warm-up").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(bar(slow, "Warm-up").value()).isEqualTo("16 s");
        assertThat(bar(slow, "Warm-up").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void streamingFailsWhenTheGatewayAddsMoreThanOneMillisecondOrAnAnswerWasNotAStream() {
        // given
        Properties slow = passingRun();
        slow.setProperty("stream.gateway.ms", "17.20");
        Properties buffered = passingRun();
        buffered.setProperty("stream.failed", "1");

        // when / then
        assertThat(bar(slow, "Streaming").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(bar(slow, "Streaming").value()).startsWith("+1.10 ms");
        assertThat(bar(buffered, "Streaming").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aStreamWhoseFirstByteCameOnlyAtTheEndWasBufferedAndFails() {
        // given: the first byte through the gateway within 1 ms of direct, but nothing came after it
        Properties run = passingRun();
        run.setProperty("stream.gateway.ms", "16.50");
        run.setProperty("stream.gateway.tail.ms", "0.30");

        // when
        Bar streaming = bar(run, "Streaming");

        // then
        assertThat(streaming.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(streaming.value()).contains("buffered");
    }

    @Test
    void barsWithoutFiguresAreNotMeasuredRatherThanPassed() {
        // given: only the baselines ran (the gateway jar was missing)
        Properties run = new Properties();
        row(run, "row.direct", 16_000, 2.0, 6.0, 480_000, 0);
        row(run, "row.nginx", 14_000, 3.0, 8.0, 420_000, 0);

        // when
        var bars = new GatewayBars(run).bars();

        // then
        assertThat(bars).extracting(Bar::verdict).containsOnly(Verdict.NOT_MEASURED);
    }
}
