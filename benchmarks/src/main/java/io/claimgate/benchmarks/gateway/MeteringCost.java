package io.claimgate.benchmarks.gateway;

import io.claimgate.benchmarks.gateway.GatewayBars.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What turning limits and spend on costs, from the two gateways of one run of benchmarks/run.sh (same jar, same JVM
 * flags, measured in alternating segments so the machine's drift falls on both). Issue 10's bar: the proxy path's
 * throughput with them on drops by no more than {@value #MAX_DROP_PERCENT} % against off. The other comparisons are
 * informational and show where the cost sits: {@code /auth} (which meters nothing), and CPU per request of the gateway
 * against that of its PostgreSQL. Pure: reads the figures, decides nothing else.
 *
 * <p>The bar FAILs when either row had a failed answer (a refusal is cheaper than the work it skips), and when the
 * spend-on gateway's rate limiter did not count the benchmark's requests: a team without limits is admitted before any
 * counting, so such a row would not measure the limiter's work.
 */
public final class MeteringCost {

    static final double MAX_DROP_PERCENT = 5.0;

    /** One comparison: the figure with limits and spend off, on, the change, the bar and the verdict. */
    public record Comparison(String name, String off, String on, String change, String bar, Verdict verdict) {
    }

    private final GatewayFigures figures;

    public MeteringCost(GatewayFigures figures) {
        this.figures = figures;
    }

    public List<Comparison> comparisons() {
        List<Comparison> rows = new ArrayList<>();
        rows.add(proxyThroughput());
        rows.add(throughput("`/auth` throughput", "auth"));
        for (String[] path : List.of(new String[] {"gateway", "proxy path"}, new String[] {"auth", "`/auth`"})) {
            rows.add(cpu("Gateway CPU per request, " + path[1], figures.gatewayCpuMicros(GatewayMode.OFF, path[0]),
                    figures.gatewayCpuMicros(GatewayMode.ON, path[0])));
            rows.add(cpu("PostgreSQL CPU per request, " + path[1],
                    figures.databaseCpuMicros(GatewayMode.OFF, path[0]),
                    figures.databaseCpuMicros(GatewayMode.ON, path[0])));
        }
        return rows;
    }

    private Comparison proxyThroughput() {
        String name = "Proxy path throughput";
        String bar = String.format(Locale.ROOT, "<= %.0f %% drop", MAX_DROP_PERCENT);
        Optional<LoadResult> off = figures.row(GatewayMode.OFF, "gateway");
        Optional<LoadResult> on = figures.row(GatewayMode.ON, "gateway");
        if (off.isEmpty() || on.isEmpty()) {
            return new Comparison(name, rps(off), rps(on), "—", bar, Verdict.NOT_MEASURED);
        }
        double change = percent(off.get().rps(), on.get().rps());
        boolean counted = figures.limiterCounted(GatewayMode.ON);
        String changeText = changeText(change) + (counted ? "" : " (the rate limiter counted nothing)");
        return new Comparison(name, rps(off), rps(on), changeText, bar, GatewayBars.verdict(
                off.get().clean() && on.get().clean() && counted && -change <= MAX_DROP_PERCENT));
    }

    private Comparison throughput(String name, String path) {
        Optional<LoadResult> off = figures.row(GatewayMode.OFF, path);
        Optional<LoadResult> on = figures.row(GatewayMode.ON, path);
        if (off.isEmpty() || on.isEmpty()) {
            return new Comparison(name, rps(off), rps(on), "—", "—", Verdict.NOT_MEASURED);
        }
        return new Comparison(name, rps(off), rps(on), changeText(percent(off.get().rps(), on.get().rps())), "—",
                Verdict.INFORMATIONAL);
    }

    private static Comparison cpu(String name, double off, double on) {
        if (Double.isNaN(off) || Double.isNaN(on)) {
            return new Comparison(name, micros(off), micros(on), "—", "—", Verdict.NOT_MEASURED);
        }
        return new Comparison(name, micros(off), micros(on), changeText(percent(off, on)), "—",
                Verdict.INFORMATIONAL);
    }

    /** The change from off to on, in % of off; NaN when off is zero. */
    private static double percent(double off, double on) {
        return off == 0 ? Double.NaN : 100 * (on - off) / off;
    }

    private static String changeText(double percent) {
        return Double.isNaN(percent) ? "—" : String.format(Locale.ROOT, "%+.1f %%", percent);
    }

    private static String rps(Optional<LoadResult> row) {
        return row.map(r -> GatewayBars.whole(r.rps()) + " req/s" + GatewayBars.failures(r)).orElse("—");
    }

    private static String micros(double us) {
        return Double.isNaN(us) ? "—" : String.format(Locale.ROOT, "%.1f µs", us);
    }
}
