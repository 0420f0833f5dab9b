package io.claimgate.benchmarks.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The bars of issue 12 ("the gateway at the speed of the proxy in front of it") for one of the gateways a run of
 * benchmarks/run.sh measured (limits and spend off or on), judged from that run: every figure beside the baseline
 * measured in the same run, so that a busy machine moves both. Pure: reads the figures run.sh wrote, decides nothing
 * else. {@code main} prints the rows, the bars of each gateway and the cost of limits and spend for run.sh's console.
 *
 * <p>A bar whose runs had failed answers (non-2xx, socket errors) or missed their fixed rate FAILs whatever its value:
 * a refusal is cheaper than the work it skips, so its speed is not the gateway's.
 */
public final class GatewayBars {

    /** The baseline rows at full speed: the name of their figures and what they measure. */
    public static final List<String[]> BASELINES = List.of(
            new String[] {"direct", "upstream answered directly"},
            new String[] {"nginx", "nginx `proxy_pass` to it, no auth (the floor)"});

    /** Each gateway's rows at full speed: the name of their figures and what they measure. */
    public static final List<String[]> PATHS = List.of(
            new String[] {"gateway", "Claimgate gateway proxying (`POST /v1/chat/completions`)"},
            new String[] {"auth", "Claimgate forward-auth (`POST /auth`)"});

    static final double PROXY_RATIO = 0.5;
    static final double AUTH_RATIO = 1.0;
    static final double ADDED_P99_MS = 1.0;
    static final double RSS_MB = 256;
    static final double WARMUP_FRACTION = 0.8;
    static final int WARMUP_SECONDS = 15;
    static final double STREAM_ADDED_MS = 1.0;
    /**
     * The time from first byte to the end of the stream through the gateway must keep at least this share of direct's:
     * a proxy that buffered the answer sends its first byte only when the upstream has finished, leaving no tail.
     */
    static final double STREAM_TAIL_KEPT = 0.5;
    /** A fixed-rate run that delivered less than this share of its rate was not at that rate. */
    static final double RATE_KEPT = 0.95;

    /** One bar: what was measured, the bar, the baseline from the same run, and the verdict. */
    public record Bar(String name, String value, String bar, String baseline, Verdict verdict) {
    }

    public enum Verdict {
        PASS, FAIL, NOT_MEASURED, INFORMATIONAL;

        @Override
        public String toString() {
            return switch (this) {
                case NOT_MEASURED -> "NOT MEASURED";
                case INFORMATIONAL -> "informational";
                default -> name();
            };
        }
    }

    private final GatewayFigures figures;
    private final GatewayMode mode;

    public GatewayBars(GatewayFigures figures, GatewayMode mode) {
        this.figures = figures;
        this.mode = mode;
    }

    public GatewayMode mode() {
        return mode;
    }

    public List<Bar> bars() {
        List<Bar> bars = new ArrayList<>();
        Optional<LoadResult> nginx = figures.row("nginx");
        bars.add(throughput("Proxy path throughput", figures.row(mode, "gateway"), nginx, PROXY_RATIO));
        bars.add(throughput("`/auth` throughput", figures.row(mode, "auth"), nginx, AUTH_RATIO));
        bars.add(addedP99());
        bars.add(peakRss());
        bars.add(warmup());
        bars.add(streaming());
        return bars;
    }

    private Bar throughput(String name, Optional<LoadResult> row, Optional<LoadResult> nginx, double ratio) {
        String bar = String.format(Locale.ROOT, ">= %.1fx nginx proxy_pass", ratio);
        if (row.isEmpty() || nginx.isEmpty()) {
            return new Bar(name, "—", bar, "—", Verdict.NOT_MEASURED);
        }
        LoadResult r = row.get();
        LoadResult n = nginx.get();
        double x = r.rps() / n.rps();
        String value = String.format(Locale.ROOT, "%.2fx (%s req/s)", x, whole(r.rps())) + failures(r);
        String baseline = "nginx proxy_pass " + whole(n.rps()) + " req/s" + failures(n);
        return new Bar(name, value, bar, baseline, verdict(r.clean() && n.clean() && x >= ratio));
    }

    private Bar addedP99() {
        double rate = figures.number("fixed.rate");
        String name = Double.isNaN(rate) ? "Added p99 at a fixed rate"
                : "Added p99 at a fixed " + whole(rate) + " req/s";
        String bar = String.format(Locale.ROOT, "<= %.0f ms over nginx", ADDED_P99_MS);
        Optional<LoadResult> gw = figures.fixed(mode);
        Optional<LoadResult> nginx = figures.fixedNginx();
        if (gw.isEmpty() || nginx.isEmpty()) {
            return new Bar(name, "—", bar, "—", Verdict.NOT_MEASURED);
        }
        double added = gw.get().p99Ms() - nginx.get().p99Ms();
        boolean keptRate = gw.get().rps() >= RATE_KEPT * rate && nginx.get().rps() >= RATE_KEPT * rate;
        String value = String.format(Locale.ROOT, "%+.2f ms (p99 %.2f ms at %s req/s)", added, gw.get().p99Ms(),
                whole(gw.get().rps())) + failures(gw.get());
        String baseline = String.format(Locale.ROOT, "nginx p99 %.2f ms at %s req/s", nginx.get().p99Ms(),
                whole(nginx.get().rps())) + failures(nginx.get());
        if (!keptRate) {
            value += " (rate not kept)";
        }
        return new Bar(name, value, bar, baseline,
                verdict(gw.get().clean() && nginx.get().clean() && keptRate && added <= ADDED_P99_MS));
    }

    private Bar peakRss() {
        double peak = figures.number(mode, "rss.peak.mb");
        String bar = String.format(Locale.ROOT, "<= %.0f MB", RSS_MB);
        String name = "Peak RSS of the gateway under the fixed-rate load";
        if (Double.isNaN(peak)) {
            return new Bar(name, "—", bar, "—", Verdict.NOT_MEASURED);
        }
        double nginx = figures.number("rss.nginx.mb");
        String baseline = Double.isNaN(nginx) ? "—" : "nginx worker " + whole(nginx) + " MB";
        return new Bar(name, whole(peak) + " MB", bar, baseline, verdict(peak <= RSS_MB));
    }

    private Bar warmup() {
        String name = String.format(Locale.ROOT, "Warm-up: %.0f %% of steady throughput", WARMUP_FRACTION * 100);
        String bar = "<= " + WARMUP_SECONDS + " s from the first request";
        WarmupCurve curve = figures.curve(mode);
        Optional<LoadResult> steady = figures.row(mode, "gateway");
        if (curve.perSecond().isEmpty() || steady.isEmpty()) {
            return new Bar(name, "—", bar, "—", Verdict.NOT_MEASURED);
        }
        long curveFailed = (long) figures.number(mode, "curve.failed");
        OptionalInt seconds = curve.secondsToReach(WARMUP_FRACTION, steady.get().rps());
        String value = (seconds.isPresent() ? seconds.getAsInt() + " s"
                : "not within " + curve.perSecond().size() + " s") + (curveFailed > 0 ? ", " + curveFailed
                + " failed" : "");
        String baseline = "steady " + whole(steady.get().rps()) + " req/s (proxy row)";
        return new Bar(name, value, bar, baseline, verdict(seconds.isPresent()
                && seconds.getAsInt() <= WARMUP_SECONDS && curveFailed == 0 && steady.get().clean()));
    }

    private Bar streaming() {
        String name = "Streaming: time to first byte of an SSE answer";
        String bar = String.format(Locale.ROOT, "<= %.0f ms over direct", STREAM_ADDED_MS);
        double direct = figures.number("stream.direct.ms");
        double gateway = figures.number(mode, "stream.gateway.ms");
        if (Double.isNaN(direct) || Double.isNaN(gateway)) {
            return new Bar(name, "—", bar, "—", Verdict.NOT_MEASURED);
        }
        // Failed: not a 200 or not an event stream, direct or through this gateway.
        long failed = count("stream.direct.failed") + count(mode.key() + ".stream.gateway.failed");
        String requests = figures.figure("stream.requests");
        double directTail = figures.number("stream.direct.tail.ms");
        double gatewayTail = figures.number(mode, "stream.gateway.tail.ms");
        boolean buffered = !Double.isNaN(directTail) && !Double.isNaN(gatewayTail)
                && gatewayTail < STREAM_TAIL_KEPT * directTail;
        String value = String.format(Locale.ROOT, "%+.2f ms (median %.2f ms", gateway - direct, gateway)
                + (Double.isNaN(gatewayTail) ? "" : String.format(Locale.ROOT, ", then %.2f ms to the end", gatewayTail))
                + ")" + (buffered ? ", buffered" : "") + (failed > 0 ? ", " + failed + " failed" : "");
        String baseline = String.format(Locale.ROOT, "direct median %.2f ms", direct)
                + (Double.isNaN(directTail) ? "" : String.format(Locale.ROOT, ", then %.2f ms to the end", directTail))
                + (requests.isBlank() ? "" : ", " + requests + " requests each");
        return new Bar(name, value, bar, baseline,
                verdict(failed == 0 && !buffered && gateway - direct <= STREAM_ADDED_MS));
    }

    /** A count run.sh wrote; absent counts as none. */
    private long count(String key) {
        double n = figures.number(key);
        return Double.isNaN(n) ? 0 : (long) n;
    }

    static Verdict verdict(boolean pass) {
        return pass ? Verdict.PASS : Verdict.FAIL;
    }

    static String failures(LoadResult r) {
        return r.failed() > 0 || r.ok() == 0 ? ", " + r.failed() + " failed of " + (r.ok() + r.failed()) : "";
    }

    static String whole(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%,.0f", v);
    }

    /** {@code java -cp benchmarks.jar io.claimgate.benchmarks.gateway.GatewayBars gateway.properties} */
    public static void main(String[] args) throws IOException {
        GatewayFigures figures = GatewayFigures.read(Path.of(args[0]));
        for (String[] row : BASELINES) {
            figures.row(row[0]).ifPresent(r -> printRow(row[1], r, Double.NaN, Double.NaN));
        }
        for (String[] path : PATHS) {
            for (GatewayMode mode : figures.modes()) {
                figures.row(mode, path[0]).ifPresent(r -> printRow(path[1] + ", " + mode.label(), r,
                        figures.gatewayCpuMicros(mode, path[0]), figures.databaseCpuMicros(mode, path[0])));
            }
        }
        for (GatewayMode mode : figures.modes()) {
            System.out.println("Gateway " + mode.key() + " JVM: " + figures.figure(mode, "jvm.flags"));
            System.out.println("Gateway " + mode.key() + " JVM flags as the JVM chose them: "
                    + figures.figure(mode, "jvm.vmflags"));
        }
        for (GatewayMode mode : figures.modes()) {
            System.out.println("Issue 12 bars, gateway with " + mode.label() + ":");
            for (Bar b : new GatewayBars(figures, mode).bars()) {
                System.out.printf(Locale.ROOT, "  %-4s  %s: %s (bar %s; baseline %s)%n", b.verdict(),
                        b.name().replace("`", ""), b.value(), b.bar(), b.baseline());
            }
        }
        System.out.println("Issue 10, limits and spend on against off:");
        for (MeteringCost.Comparison c : new MeteringCost(figures).comparisons()) {
            System.out.printf(Locale.ROOT, "  %-4s  %s: off %s, on %s, %s (bar %s)%n", c.verdict(),
                    c.name().replace("`", ""), c.off(), c.on(), c.change(), c.bar());
        }
    }

    private static void printRow(String name, LoadResult r, double gatewayCpu, double databaseCpu) {
        System.out.printf(Locale.ROOT, "%-80s %9s req/s  p50 %6.2f ms  p99 %6.2f ms  failed %d%s%s%n",
                name.replace("`", ""), whole(r.rps()), r.p50Ms(), r.p99Ms(), r.failed(),
                Double.isNaN(gatewayCpu) ? "" : String.format(Locale.ROOT, "  CPU/req gateway %.0f us, PostgreSQL %.0f us",
                        gatewayCpu, databaseCpu),
                r.clean() ? "" : "  FAIL (errors)");
    }
}
