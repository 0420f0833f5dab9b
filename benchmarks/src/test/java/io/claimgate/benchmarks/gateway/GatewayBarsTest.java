package io.claimgate.benchmarks.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.benchmarks.gateway.GatewayBars.Bar;
import io.claimgate.benchmarks.gateway.GatewayBars.Verdict;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class GatewayBarsTest {

    /** A run where every bar is met by both gateways: the figures run.sh writes, with round numbers. */
    private static Properties passingRun() {
        Properties p = new Properties();
        p.setProperty("modes", "off,on");
        row(p, "row.direct", 16_000, 2.0, 6.0, 480_000, 0);
        row(p, "row.nginx", 14_000, 3.0, 8.0, 420_000, 0);
        p.setProperty("fixed.rate", "4650");
        row(p, "fixed.nginx", 4_640, 0.4, 1.2, 139_200, 0);
        p.setProperty("rss.nginx.mb", "4");
        p.setProperty("stream.direct.ms", "16.10");
        p.setProperty("stream.direct.tail.ms", "15.40");
        p.setProperty("stream.direct.failed", "0");
        p.setProperty("stream.requests", "200");
        for (String mode : new String[] {"off", "on"}) {
            row(p, mode + ".row.gateway", 8_000, 5.0, 14.0, 240_000, 0);
            row(p, mode + ".row.auth", 15_000, 3.0, 7.0, 450_000, 0);
            row(p, mode + ".fixed.gateway", 4_630, 0.7, 2.0, 138_900, 0);
            p.setProperty(mode + ".rss.peak.mb", "200");
            p.setProperty(mode + ".curve", "1000 3000 5000 6500 7000 7900");
            p.setProperty(mode + ".curve.failed", "0");
            p.setProperty(mode + ".stream.gateway.ms", "16.60");
            p.setProperty(mode + ".stream.gateway.tail.ms", "15.20");
            p.setProperty(mode + ".stream.gateway.failed", "0");
        }
        return p;
    }

    private static void row(Properties p, String prefix, double rps, double p50, double p99, long ok, long failed) {
        p.setProperty(prefix + ".rps", Double.toString(rps));
        p.setProperty(prefix + ".p50", Double.toString(p50));
        p.setProperty(prefix + ".p99", Double.toString(p99));
        p.setProperty(prefix + ".ok", Long.toString(ok));
        p.setProperty(prefix + ".failed", Long.toString(failed));
    }

    /** The bar of the gateway with limits and spend on, the one most tests vary. */
    private static Bar bar(Properties p, String nameStart) {
        return bar(p, GatewayMode.ON, nameStart);
    }

    private static Bar bar(Properties p, GatewayMode mode, String nameStart) {
        return bars(p, mode).stream().filter(b -> b.name().startsWith(nameStart)).findFirst().orElseThrow();
    }

    private static java.util.List<Bar> bars(Properties p, GatewayMode mode) {
        return new GatewayBars(new GatewayFigures(p), mode).bars();
    }

    @Test
    void everyBarPassesWhenEveryFigureIsWithinItsBar() {
        // given / when
        var off = bars(passingRun(), GatewayMode.OFF);
        var on = bars(passingRun(), GatewayMode.ON);

        // then
        assertThat(off).extracting(Bar::verdict).containsOnly(Verdict.PASS);
        assertThat(off).hasSize(6);
        assertThat(on).extracting(Bar::verdict).containsOnly(Verdict.PASS);
        assertThat(on).hasSize(6);
    }

    @Test
    void eachGatewayIsJudgedOnItsOwnFiguresAgainstTheSharedBaseline() {
        // given: with limits and spend on the gateway reaches 0.49x nginx, with them off 0.57x
        Properties run = passingRun();
        row(run, "on.row.gateway", 6_860, 5.0, 14.0, 205_800, 0);
        row(run, "off.row.gateway", 8_000, 5.0, 14.0, 240_000, 0);

        // when
        Bar on = bar(run, GatewayMode.ON, "Proxy path throughput");
        Bar off = bar(run, GatewayMode.OFF, "Proxy path throughput");

        // then
        assertThat(on.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(on.value()).startsWith("0.49x");
        assertThat(off.verdict()).isEqualTo(Verdict.PASS);
        assertThat(off.value()).startsWith("0.57x");
        assertThat(off.baseline()).isEqualTo(on.baseline()).contains("14,000 req/s");
    }

    @Test
    void proxyThroughputIsJudgedAsARatioToNginxInTheSameRun() {
        // given: the gateway at 0.49x nginx
        Properties run = passingRun();
        row(run, "on.row.gateway", 6_860, 5.0, 14.0, 205_800, 0);

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
        row(run, "on.row.auth", 40_000, 1.0, 2.0, 1_199_988, 12);

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
        assertThat(bar(run, GatewayMode.OFF, "Proxy path throughput").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(bar(run, GatewayMode.ON, "Proxy path throughput").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void addedP99IsTheGatewaysP99MinusNginxsAtTheSameRate() {
        // given: 2.3 ms against 1.2 ms
        Properties run = passingRun();
        row(run, "on.fixed.gateway", 4_630, 0.7, 2.3, 138_900, 0);

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
        row(run, "on.fixed.gateway", 3_000, 0.5, 1.5, 90_000, 0);

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
        run.setProperty("on.rss.peak.mb", "332");

        // when / then
        assertThat(bar(run, "Peak RSS").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void warmUpIsTheFirstSecondReachingEightyPercentOfTheSteadyThroughput() {
        // given: steady 8,000 req/s; 6,400 is first reached in the 4th slice
        Properties run = passingRun();
        run.setProperty("on.curve", "1000 3000 6399 6400 5000");

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
        never.setProperty("on.curve", "1000 2000 3000");
        Properties slow = passingRun();
        slow.setProperty("on.curve", "1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000 7000");

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
        slow.setProperty("on.stream.gateway.ms", "17.20");
        Properties buffered = passingRun();
        buffered.setProperty("on.stream.gateway.failed", "1");
        Properties directFailed = passingRun();
        directFailed.setProperty("stream.direct.failed", "2");

        // when / then
        assertThat(bar(slow, "Streaming").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(bar(slow, "Streaming").value()).startsWith("+1.10 ms");
        assertThat(bar(buffered, "Streaming").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(bar(buffered, "Streaming").value()).contains("1 failed");
        assertThat(bar(buffered, GatewayMode.OFF, "Streaming").verdict()).isEqualTo(Verdict.PASS);
        assertThat(bar(directFailed, GatewayMode.OFF, "Streaming").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(bar(directFailed, GatewayMode.ON, "Streaming").value()).contains("2 failed");
    }

    @Test
    void aStreamWhoseFirstByteCameOnlyAtTheEndWasBufferedAndFails() {
        // given: the first byte through the gateway within 1 ms of direct, but nothing came after it
        Properties run = passingRun();
        run.setProperty("on.stream.gateway.ms", "16.50");
        run.setProperty("on.stream.gateway.tail.ms", "0.30");

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
        var bars = bars(run, GatewayMode.ON);

        // then
        assertThat(bars).extracting(Bar::verdict).containsOnly(Verdict.NOT_MEASURED);
    }
}
