package io.claimgate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkReportTest {

    @TempDir
    Path dir;

    /** The figures of a run with both gateways, as run.sh writes them (only the gateway part: JMH was skipped). */
    private static final String BOTH_GATEWAYS = """
            connections=50
            load.seconds=30
            load.rounds=3
            fixed.seconds=30
            fixed.rounds=2
            fixed.warmup.seconds=10
            fixed.warmup.nginx.p99=1.3
            off.fixed.warmup.p99=4.5
            on.fixed.warmup.p99=6.25
            modes=on,off
            clk.tck=100
            on.limiter=counted
            off.limiter=skipped
            on.curve=1000 3000 7000
            on.curve.failed=0
            off.curve=1500 4000 8000
            off.curve.failed=0
            row.direct.rps=16000
            row.direct.p50=2
            row.direct.p99=6
            row.direct.ok=480000
            row.direct.failed=0
            row.nginx.rps=14000
            row.nginx.p50=3
            row.nginx.p99=8
            row.nginx.ok=420000
            row.nginx.failed=0
            row.nginx.segments.rps=13900 14100 14000
            off.row.gateway.rps=8000
            off.row.gateway.p50=5
            off.row.gateway.p99=14
            off.row.gateway.ok=240000
            off.row.gateway.failed=0
            off.row.gateway.segments.rps=7900 8100 8000
            off.row.gateway.cpu.gateway.us=180.0
            off.row.gateway.cpu.db.us=0.0
            on.row.gateway.rps=7680
            on.row.gateway.p50=5.2
            on.row.gateway.p99=15
            on.row.gateway.ok=230400
            on.row.gateway.failed=0
            on.row.gateway.cpu.gateway.us=198.0
            on.row.gateway.cpu.db.us=6.5
            off.row.auth.rps=15000
            off.row.auth.p50=3
            off.row.auth.p99=7
            off.row.auth.ok=450000
            off.row.auth.failed=0
            on.row.auth.rps=14850
            on.row.auth.p50=3
            on.row.auth.p99=7
            on.row.auth.ok=445500
            on.row.auth.failed=0
            fixed.rate=4650
            fixed.nginx.rps=4640
            fixed.nginx.p50=0.4
            fixed.nginx.p99=1.2
            fixed.nginx.ok=139200
            fixed.nginx.failed=0
            rss.nginx.mb=4
            off.fixed.gateway.rps=4630
            off.fixed.gateway.p50=0.7
            off.fixed.gateway.p99=2.0
            off.fixed.gateway.ok=138900
            off.fixed.gateway.failed=0
            off.rss.peak.mb=190
            off.rss.hwm.mb=195
            on.fixed.gateway.rps=4630
            on.fixed.gateway.p50=0.7
            on.fixed.gateway.p99=2.5
            on.fixed.gateway.ok=138900
            on.fixed.gateway.failed=0
            on.rss.peak.mb=200
            on.rss.hwm.mb=205
            stream.requests=200
            stream.direct.ms=16.10
            stream.direct.tail.ms=15.40
            stream.direct.failed=0
            off.stream.gateway.ms=16.60
            off.stream.gateway.tail.ms=15.20
            off.stream.gateway.failed=0
            on.stream.gateway.ms=16.70
            on.stream.gateway.tail.ms=15.10
            on.stream.gateway.failed=0
            """;

    private String report(String figures) throws IOException {
        Path gateway = dir.resolve("gateway.properties");
        Files.writeString(gateway, figures);
        Path notes = dir.resolve("NOTES.md");
        Files.writeString(notes, "## Notes: reading these figures\n\nSpend rows: kept verbatim.\n");
        Path out = dir.resolve("benchmarks.md");
        BenchmarkReport.main(new String[] {"jmh=" + dir.resolve("absent.tsv"), "openssl1=40000", "openssl2=75000",
                "gateway=" + gateway, "command=benchmarks/run.sh", "date=2026-11-30 05:00 UTC",
                "gatewayNote=Two gateways ran.", "notes=" + notes, "out=" + out});
        return Files.readString(out);
    }

    @Test
    void issue12BarsStandSideBySideForTheGatewayWithLimitsAndSpendOffAndOn() throws IOException {
        // given / when
        String md = report(BOTH_GATEWAYS);

        // then
        assertThat(md).contains("| Bar | Target | Gateway, limits and spend off | Verdict "
                + "| Gateway, limits and spend on | Verdict | Baseline, same run |");
        assertThat(md).contains("| Proxy path throughput | >= 0.5x nginx proxy_pass | 0.57x (8,000 req/s) | **PASS** "
                + "| 0.55x (7,680 req/s) | **PASS** | nginx proxy_pass 14,000 req/s |");
        // the added p99 of the spend-on gateway (2.5 - 1.2 ms) is over the bar, the other's is not
        assertThat(md).contains("| +0.80 ms (p99 2.00 ms at 4,630 req/s) | **PASS** "
                + "| +1.30 ms (p99 2.50 ms at 4,630 req/s) | **FAIL** |");
        // each gateway's warm-up is judged against its own steady speed, so the baseline names both
        assertThat(md).contains("off: steady 8,000 req/s (proxy row); on: steady 7,680 req/s (proxy row)");
    }

    @Test
    void aRunWithoutJmhSaysSoInsteadOfPrintingEmptyTokenTables() throws IOException {
        // given a run whose JMH results file does not exist (SKIP_JMH=1)
        // when
        String md = report(BOTH_GATEWAYS);

        // then the token section says it was not measured, and no table header stands there without rows
        assertThat(md).contains("Not measured in this run (`SKIP_JMH=1`)");
        assertThat(md).doesNotContain("| Path | Threads | ops/s |").doesNotContain("| Step | Provider | ops/s |");
        // the gateway's part follows as usual
        assertThat(md).contains("### Gateway bars (issue 12)");
    }

    @Test
    void issue10BarComparesTheProxyPathWithLimitsAndSpendOnAgainstOffWithBothFigures() throws IOException {
        // given / when
        String md = report(BOTH_GATEWAYS);

        // then
        assertThat(md).contains("### Cost of limits and spend (issue 10): on against off, same run");
        assertThat(md).contains("| Proxy path throughput | 8,000 req/s | 7,680 req/s | -4.0 % | <= 5 % drop "
                + "| **PASS** |");
        assertThat(md).contains("| `/auth` throughput | 15,000 req/s | 14,850 req/s | -1.0 % | — | informational |");
        assertThat(md).contains("| Gateway CPU per request, proxy path | 180.0 µs | 198.0 µs | +10.0 % | — "
                + "| informational |");
        assertThat(md).contains("| PostgreSQL CPU per request, proxy path | 0.0 µs | 6.5 µs | — | — "
                + "| informational |");
    }

    @Test
    void rowsOfBothGatewaysCarryTheirCpuPerRequestAndTheirSegments() throws IOException {
        // given / when
        String md = report(BOTH_GATEWAYS);

        // then
        assertThat(md).contains("| nginx `proxy_pass` to it, no auth (the floor) | 14,000 | 1.00x | 3.00 | 8.00 "
                + "| 420000 | 0 | — | — | 13900 14100 14000 | ok |");
        assertThat(md).contains("| Claimgate gateway proxying (`POST /v1/chat/completions`), limits and spend off "
                + "| 8,000 | 0.57x | 5.00 | 14.00 | 240000 | 0 | 180.0 | 0.0 | 7900 8100 8000 | ok |");
        assertThat(md).contains("| Claimgate gateway proxying (`POST /v1/chat/completions`), limits and spend on "
                + "| 7,680 | 0.55x | 5.20 | 15.00 | 230400 | 0 | 198.0 | 6.5 | — | ok |");
        assertThat(md).contains("| Claimgate forward-auth (`POST /auth`), limits and spend on | 14,850 | 1.06x |");
        assertThat(md).contains("| Claimgate gateway proxying, limits and spend on | 4,630 | 0.70 | 2.50 | 138900 "
                + "| 0 | 200 |");
        assertThat(md).contains("| nginx proxy_pass | 4,640 | 0.40 | 1.20 | 139200 | 0 | 4 |");
        assertThat(md).contains("          off        on\n  1 s     1,500     1,000\n");
    }

    @Test
    void theUnmeasuredFixedRateRoundIsReportedBesideTheRowsItDidNotCountIn() throws IOException {
        // given / when
        String md = report(BOTH_GATEWAYS);

        // then its p99s follow the fixed-rate table, and the table's p99s are the measured segments' alone
        assertThat(md).contains("Before these rows, one unmeasured segment of 10 s each at the same rate, in the "
                + "same turn; its p99: nginx 1.30 ms, gateway with limits and spend off 4.50 ms, gateway with limits "
                + "and spend on 6.25 ms.");
        assertThat(md).contains("| Claimgate gateway proxying, limits and spend on | 4,630 | 0.70 | 2.50 |");
    }

    @Test
    void aRunWithoutTheUnmeasuredFixedRateRoundSaysNothingOfIt() throws IOException {
        // given: FIXED_WARMUP_SECONDS=0
        String without = BOTH_GATEWAYS.lines().filter(l -> !l.contains("fixed.warmup"))
                .reduce("", (a, b) -> a + b + "\n");

        // when
        String md = report(without);

        // then
        assertThat(md).doesNotContain("unmeasured segment");
        assertThat(md).contains("| nginx proxy_pass | 4,640 | 0.40 | 1.20 | 139200 | 0 | 4 |");
    }

    @Test
    void aRunOfOneGatewaySaysTheCostWasNotMeasuredAndStillAppendsTheNotesVerbatim() throws IOException {
        // given: GATEWAY_MODES=on
        String onlyOn = BOTH_GATEWAYS.lines().filter(l -> !l.startsWith("off.")).map(l -> l.equals("modes=on,off")
                ? "modes=on" : l).reduce("", (a, b) -> a + b + "\n");

        // when
        String md = report(onlyOn);

        // then
        assertThat(md).contains("| Bar | Target | Gateway, limits and spend on | Verdict | Baseline, same run |");
        assertThat(md).contains("Not measured in this run: only the gateway with limits and spend on ran");
        assertThat(md).doesNotContain("limits and spend off |");
        assertThat(md).endsWith("## Notes: reading these figures\n\nSpend rows: kept verbatim.\n");
    }
}
