package io.claimgate.benchmarks.gateway;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * The bars of issue 12 ("the gateway at the speed of the proxy in front of it"), judged from one run of
 * benchmarks/run.sh: every figure beside the baseline measured in the same run, so that a busy machine moves both.
 * Pure: reads the figures run.sh wrote, decides nothing else. {@code main} prints the bars for run.sh's console.
 *
 * <p>A bar whose runs had failed answers (non-2xx, socket errors) or missed their fixed rate FAILs whatever its value:
 * a refusal is cheaper than the work it skips, so its speed is not the gateway's.
 */
public final class GatewayBars {

    /** The rows at full speed, in the order of the table. */
    public static final List<String[]> ROWS = List.of(
            new String[] {"direct", "upstream answered directly"},
            new String[] {"nginx", "nginx `proxy_pass` to it, no auth (the floor)"},
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
        PASS, FAIL, NOT_MEASURED;

        @Override
        public String toString() {
            return this == NOT_MEASURED ? "NOT MEASURED" : name();
        }
    }

    private final Properties figures;

    public GatewayBars(Properties figures) {
        this.figures = figures;
    }

    public static GatewayBars read(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return new GatewayBars(p);
    }

    public boolean measured() {
        return figures.getProperty("row.nginx.rps") != null;
    }

    public String figure(String key) {
        return figures.getProperty(key, "");
    }

    public Optional<LoadResult> row(String name) {
        return LoadResult.read(figures, "row." + name);
    }

    public Optional<LoadResult> fixed(String name) {
        return LoadResult.read(figures, "fixed." + name);
    }

    public WarmupCurve curve() {
        return WarmupCurve.parse(figures.getProperty("curve", ""));
    }

    public List<Bar> bars() {
        List<Bar> bars = new ArrayList<>();
        Optional<LoadResult> nginx = row("nginx");
        bars.add(throughput("Proxy path throughput", row("gateway"), nginx, PROXY_RATIO));
        bars.add(throughput("`/auth` throughput", row("auth"), nginx, AUTH_RATIO));
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
        double rate = LoadResult.number(figures, "fixed.rate");
        String name = Double.isNaN(rate) ? "Added p99 at a fixed rate"
                : "Added p99 at a fixed " + whole(rate) + " req/s";
        String bar = String.format(Locale.ROOT, "<= %.0f ms over nginx", ADDED_P99_MS);
        Optional<LoadResult> gw = fixed("gateway");
        Optional<LoadResult> nginx = fixed("nginx");
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
        double peak = LoadResult.number(figures, "rss.peak.mb");
        String bar = String.format(Locale.ROOT, "<= %.0f MB", RSS_MB);
        String name = "Peak RSS of the gateway under the fixed-rate load";
        if (Double.isNaN(peak)) {
            return new Bar(name, "—", bar, "—", Verdict.NOT_MEASURED);
        }
        double nginx = LoadResult.number(figures, "rss.nginx.mb");
        String baseline = Double.isNaN(nginx) ? "—" : "nginx worker " + whole(nginx) + " MB";
        return new Bar(name, whole(peak) + " MB", bar, baseline, verdict(peak <= RSS_MB));
    }

    private Bar warmup() {
        String name = String.format(Locale.ROOT, "Warm-up: %.0f %% of steady throughput", WARMUP_FRACTION * 100);
        String bar = "<= " + WARMUP_SECONDS + " s from the first request";
        WarmupCurve curve = curve();
        Optional<LoadResult> steady = row("gateway");
        if (curve.perSecond().isEmpty() || steady.isEmpty()) {
            return new Bar(name, "—", bar, "—", Verdict.NOT_MEASURED);
        }
        long curveFailed = (long) LoadResult.number(figures, "curve.failed");
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
        double direct = LoadResult.number(figures, "stream.direct.ms");
        double gateway = LoadResult.number(figures, "stream.gateway.ms");
        if (Double.isNaN(direct) || Double.isNaN(gateway)) {
            return new Bar(name, "—", bar, "—", Verdict.NOT_MEASURED);
        }
        long failed = (long) LoadResult.number(figures, "stream.failed");
        String requests = figure("stream.requests");
        double directTail = LoadResult.number(figures, "stream.direct.tail.ms");
        double gatewayTail = LoadResult.number(figures, "stream.gateway.tail.ms");
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

    private static Verdict verdict(boolean pass) {
        return pass ? Verdict.PASS : Verdict.FAIL;
    }

    private static String failures(LoadResult r) {
        return r.failed() > 0 || r.ok() == 0 ? ", " + r.failed() + " failed of " + (r.ok() + r.failed()) : "";
    }

    static String whole(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%,.0f", v);
    }

    /** {@code java -cp benchmarks.jar io.claimgate.benchmarks.gateway.GatewayBars gateway.properties} */
    public static void main(String[] args) throws IOException {
        GatewayBars bars = read(Path.of(args[0]));
        for (String[] row : ROWS) {
            bars.row(row[0]).ifPresent(r -> System.out.printf(Locale.ROOT,
                    "%-60s %9s req/s  p50 %6.2f ms  p99 %6.2f ms  failed %d%s%n", row[1].replace("`", ""),
                    whole(r.rps()), r.p50Ms(), r.p99Ms(), r.failed(), r.clean() ? "" : "  FAIL (errors)"));
        }
        System.out.println("Gateway JVM: " + bars.figure("jvm.flags"));
        System.out.println("Gateway JVM flags as the JVM chose them: " + bars.figure("jvm.vmflags"));
        for (Bar b : bars.bars()) {
            System.out.printf(Locale.ROOT, "%-4s  %s: %s (bar %s; baseline %s)%n", b.verdict(),
                    b.name().replace("`", ""), b.value(), b.bar(), b.baseline());
        }
    }
}
