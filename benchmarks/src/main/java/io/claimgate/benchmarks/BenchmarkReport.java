package io.claimgate.benchmarks;

import io.claimgate.benchmarks.gateway.GatewayBars;
import io.claimgate.benchmarks.gateway.GatewayFigures;
import io.claimgate.benchmarks.gateway.GatewayMode;
import io.claimgate.benchmarks.gateway.MeteringCost;
import io.claimgate.benchmarks.gateway.LoadResult;
import io.claimgate.benchmarks.gateway.WarmupCurve;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes {@code docs/benchmarks.md} from the JMH results, OpenSSL's verify/s and the gateway load test: every figure
 * with its ratio to OpenSSL's RSA-2048 verify rate and to the best peer, then each target of issue 5, met or missed
 * and by how much.
 *
 * <p>Arguments are {@code key=value}: {@code jmh=} (TSV from {@link BenchmarkSuite}), {@code openssl1=} and
 * {@code openssl2=} (verify/s with one and two processes), {@code gateway=} (the load test's figures from run.sh,
 * a properties file read by {@link GatewayFigures}, optional),
 * {@code machine=} (text file), {@code command=}, {@code date=}, {@code note=}, {@code gatewayNote=},
 * {@code notes=} (markdown appended as is: the analysis of why a target is missed), {@code out=}.
 */
public final class BenchmarkReport {

    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("ClaimgateVerificationBenchmark.verifyNotSeenBefore[corretto]",
                "Claimgate TokenVerifier.verify, token not seen before (Corretto)");
        LABELS.put("ClaimgateVerificationBenchmark.verifyNotSeenBefore[jdk]",
                "Claimgate TokenVerifier.verify, token not seen before (JDK)");
        LABELS.put("AuthenticateBenchmark.authenticateSeenBefore[-]",
                "Claimgate authenticate(), token seen before (warm caches)");
        LABELS.put("AuthenticateBenchmark.authenticateNotSeenBefore[-]",
                "Claimgate authenticate(), token not seen before (warm caches)");
        LABELS.put("PeerVerificationBenchmark.nimbusDefaultJwtProcessor[-]",
                "nimbus-jose-jwt DefaultJWTProcessor + ImmutableJWKSet");
        LABELS.put("PeerVerificationBenchmark.auth0JavaJwt[-]", "auth0 java-jwt 4.6.2");
        LABELS.put("PeerVerificationBenchmark.jjwt[-]", "jjwt 0.13.0");
    }

    private record Row(String cls, String method, String param, int threads, double score, double error,
            double alloc) {
        String key() {
            return cls + "." + method + "[" + param + "]";
        }

        boolean isPeer() {
            return cls.equals("PeerVerificationBenchmark");
        }

        boolean isClaimgate() {
            return cls.equals("ClaimgateVerificationBenchmark") || cls.equals("AuthenticateBenchmark");
        }
    }

    private BenchmarkReport() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> arg = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            arg.put(a.substring(0, eq), a.substring(eq + 1));
        }
        List<Row> rows = readJmh(Path.of(arg.get("jmh")));
        double openssl1 = Double.parseDouble(arg.getOrDefault("openssl1", "NaN"));
        double openssl2 = Double.parseDouble(arg.getOrDefault("openssl2", "NaN"));
        GatewayFigures gateway = arg.containsKey("gateway") ? GatewayFigures.read(Path.of(arg.get("gateway")))
                : new GatewayFigures(new java.util.Properties());
        String machine = arg.containsKey("machine") ? Files.readString(Path.of(arg.get("machine"))).strip() : "";

        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("How fast Claimgate verifies Keycloak tokens, next to the libraries a gateway team would use instead, "
                + "to the RSA limit of this machine (OpenSSL), and as a gateway under load.\n\n");
        md.append("Run everything (about 30 minutes on 2 cores) from a clean checkout:\n\n```\n")
                .append(arg.getOrDefault("command", "benchmarks/run.sh")).append("\n```\n\n");
        md.append("Measured ").append(arg.getOrDefault("date", "")).append(".\n\n");
        if (arg.containsKey("note") && !arg.get("note").isBlank()) {
            md.append("> ").append(arg.get("note")).append("\n\n");
        }
        md.append("## Machine\n\n```\n").append(machine).append("\n```\n\n");
        md.append("## The limit: OpenSSL\n\n`openssl speed -seconds 3 rsa2048`, RSA-2048 verify/s: **")
                .append(fmt(openssl1)).append("** with one process, **").append(fmt(openssl2))
                .append("** with `-multi 2`. Ratios for 1 thread use the first, for 2 threads the second.\n\n");

        md.append("## Token verification (JMH, ops/s)\n\n");
        md.append("One Keycloak-shaped RS256 access token, 2048-bit key, ~1.8 KB (`KeycloakTokens`). \"Not seen before\" "
                + "cycles through a pool of ").append(TokenPool.DEFAULT_SIZE).append(" distinct pre-signed tokens, "
                + "larger than any cache the benchmark configures. Peers check signature, expiry, issuer and "
                + "audience, set up as their documentation shows. B/op is `-prof gc`'s gc.alloc.rate.norm.\n\n");
        if (rows.isEmpty()) {
            md.append("Not measured in this run (`SKIP_JMH=1`): `benchmarks/run.sh` without it measures this part "
                    + "(about 15 minutes). Issue 5's and earlier runs of this page hold the last figures.\n\n");
        } else {
            jmhTables(md, rows, openssl1, openssl2);
        }

        gateway(md, gateway, arg);
        md.append("\n## Token targets (issue 5)\n\n| Target | Measured | Verdict |\n|---|---|---|\n");
        targets(md, rows, openssl1);
        md.append("\nFigures measured while other builds ran on the same two cores are provisional.\n");
        if (arg.containsKey("notes") && Files.exists(Path.of(arg.get("notes")))) {
            md.append("\n").append(Files.readString(Path.of(arg.get("notes"))).strip()).append("\n");
        }
        Files.writeString(Path.of(arg.get("out")), md.toString());
    }

    private static void jmhTables(StringBuilder md, List<Row> rows, double openssl1, double openssl2) {
        md.append("| Path | Threads | ops/s | ± | B/op | × OpenSSL | × best peer |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (int threads : new int[] {1, 2}) {
            double limit = threads == 1 ? openssl1 : openssl2;
            double bestPeer = bestPeer(rows, threads);
            for (String key : LABELS.keySet()) {
                for (Row row : rows) {
                    if (row.threads() == threads && row.key().equals(key)) {
                        md.append("| ").append(LABELS.get(key)).append(" | ").append(threads).append(" | ")
                                .append(fmt(row.score())).append(" | ").append(fmt(row.error())).append(" | ")
                                .append(fmt(row.alloc())).append(" | ").append(ratio(row.score(), limit))
                                .append(" | ").append(ratio(row.score(), bestPeer)).append(" |\n");
                    }
                }
            }
        }
        md.append("\n### Where the time goes (1 thread)\n\n");
        md.append("| Step | Provider | ops/s | ± | B/op | × OpenSSL |\n|---|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            if (!row.isPeer() && !row.isClaimgate() && row.threads() == 1) {
                md.append("| ").append(row.cls().replace("Benchmark", "")).append(".").append(row.method())
                        .append(" | ").append(row.param()).append(" | ").append(fmt(row.score())).append(" | ")
                        .append(fmt(row.error())).append(" | ").append(fmt(row.alloc())).append(" | ")
                        .append(ratio(row.score(), openssl1)).append(" |\n");
            }
        }
    }

    private static void gateway(StringBuilder md, GatewayFigures gateway, Map<String, String> arg) {
        md.append("\n## Gateway under load (hey, loopback)\n\n");
        if (!gateway.measured()) {
            md.append("Not measured in this run: ").append(arg.getOrDefault("gatewayNote",
                    "the gateway jar was not built.")).append("\n");
            return;
        }
        md.append(arg.getOrDefault("gatewayNote", "")).append("\n\n");
        List<GatewayMode> modes = gateway.modes();
        gatewayBars(md, gateway, modes);
        meteringCost(md, gateway, modes);
        fullSpeed(md, gateway, modes);
        fixedRate(md, gateway, modes);
        warmupCurves(md, gateway, modes);
        String commands = gateway.figure("commands");
        if (!commands.isBlank()) {
            md.append("\n### Commands\n\n```\n").append(commands.replace(" ;; ", "\n")).append("\n```\n");
        }
    }

    /** Issue 12's bars, one column pair (measured, verdict) per gateway, side by side. */
    private static void gatewayBars(StringBuilder md, GatewayFigures gateway, List<GatewayMode> modes) {
        md.append("### Gateway bars (issue 12)\n\n");
        if (modes.isEmpty()) {
            md.append("No gateway was measured in this run.\n");
            return;
        }
        List<List<GatewayBars.Bar>> columns = new ArrayList<>();
        StringBuilder header = new StringBuilder("| Bar | Target |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (GatewayMode mode : modes) {
            columns.add(new GatewayBars(gateway, mode).bars());
            header.append(" Gateway, ").append(mode.label()).append(" | Verdict |");
            rule.append("---|---|");
        }
        md.append(header).append(" Baseline, same run |\n").append(rule).append("---|\n");
        for (int i = 0; i < columns.get(0).size(); i++) {
            GatewayBars.Bar first = columns.get(0).get(i);
            md.append("| ").append(first.name()).append(" | ").append(first.bar()).append(" |");
            List<String> baselines = new ArrayList<>();
            for (List<GatewayBars.Bar> column : columns) {
                GatewayBars.Bar b = column.get(i);
                md.append(" ").append(b.value()).append(" | **").append(b.verdict()).append("** |");
                if (!baselines.contains(b.baseline())) {
                    baselines.add(b.baseline());
                }
            }
            // A baseline both gateways share is written once; one of each gateway's own (its steady speed) twice.
            String baseline = baselines.size() == 1 ? baselines.get(0) : joinPerMode(modes, columns, i);
            md.append(" ").append(baseline).append(" |\n");
        }
    }

    private static String joinPerMode(List<GatewayMode> modes, List<List<GatewayBars.Bar>> columns, int i) {
        List<String> parts = new ArrayList<>();
        for (int m = 0; m < modes.size(); m++) {
            parts.add(modes.get(m).key() + ": " + columns.get(m).get(i).baseline());
        }
        return String.join("; ", parts);
    }

    /** Issue 10's bar and the informational comparisons, when both gateways ran. */
    private static void meteringCost(StringBuilder md, GatewayFigures gateway, List<GatewayMode> modes) {
        md.append("\n### Cost of limits and spend (issue 10): on against off, same run\n\n");
        if (!modes.containsAll(List.of(GatewayMode.OFF, GatewayMode.ON))) {
            md.append("Not measured in this run: only the gateway with ")
                    .append(modes.isEmpty() ? "none" : modes.get(0).label())
                    .append(" ran (`GATEWAY_MODES`).\n");
            return;
        }
        md.append("CPU per request: the CPU time (utime + stime from `/proc`, ").append(gateway.figure("clk.tck"))
                .append(" ticks/s) of the gateway's JVM, and of its embedded PostgreSQL's postmaster and every backend, "
                        + "over the row's segments, divided by the requests answered in them.\n\n");
        md.append("| Comparison | Limits and spend off | Limits and spend on | Change | Bar | Verdict |\n"
                + "|---|---:|---:|---:|---|---|\n");
        for (MeteringCost.Comparison c : new MeteringCost(gateway).comparisons()) {
            md.append("| ").append(c.name()).append(" | ").append(c.off()).append(" | ").append(c.on())
                    .append(" | ").append(c.change()).append(" | ").append(c.bar()).append(" | ")
                    .append(c.verdict() == GatewayBars.Verdict.INFORMATIONAL ? "informational"
                            : "**" + c.verdict() + "**")
                    .append(" |\n");
        }
    }

    private static void fullSpeed(StringBuilder md, GatewayFigures gateway, List<GatewayMode> modes) {
        md.append("\n### Full speed, ").append(gateway.figure("connections")).append(" connections, ")
                .append(gateway.figure("load.seconds")).append(" s per row in ").append(gateway.figure("load.rounds"))
                .append(" alternating segments\n\n");
        md.append("req/s is the mean of the row's segments, p50 and p99 the worst segment's.\n\n");
        md.append("| Target | req/s | × nginx proxy_pass | p50 ms | p99 ms | 2xx | failed | Gateway CPU µs/req "
                + "| PostgreSQL CPU µs/req | req/s per segment | Row |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        double nginx = gateway.row("nginx").map(LoadResult::rps).orElse(Double.NaN);
        for (String[] row : GatewayBars.BASELINES) {
            gateway.row(row[0]).ifPresent(r -> fullSpeedRow(md, row[1], r, row[0].equals("direct") ? "—"
                    : ratio(r.rps(), nginx), Double.NaN, Double.NaN, gateway.figure("row." + row[0]
                    + ".segments.rps")));
        }
        for (String[] path : GatewayBars.PATHS) {
            for (GatewayMode mode : modes) {
                gateway.row(mode, path[0]).ifPresent(r -> fullSpeedRow(md, path[1] + ", " + mode.label(), r,
                        ratio(r.rps(), nginx), gateway.gatewayCpuMicros(mode, path[0]),
                        gateway.databaseCpuMicros(mode, path[0]),
                        gateway.figure(mode, "row." + path[0] + ".segments.rps")));
            }
        }
    }

    private static void fullSpeedRow(StringBuilder md, String name, LoadResult r, String ratio, double gatewayCpu,
            double databaseCpu, String segments) {
        md.append("| ").append(name).append(" | ").append(fmt(r.rps())).append(" | ").append(ratio).append(" | ")
                .append(fmt2(r.p50Ms())).append(" | ").append(fmt2(r.p99Ms())).append(" | ").append(r.ok())
                .append(" | ").append(r.failed()).append(" | ").append(fmt1(gatewayCpu)).append(" | ")
                .append(fmt1(databaseCpu)).append(" | ").append(segments.isBlank() ? "—" : segments).append(" | ")
                .append(r.clean() ? "ok" : "**FAIL** (errors)").append(" |\n");
    }

    private static void fixedRate(StringBuilder md, GatewayFigures gateway, List<GatewayMode> modes) {
        md.append("\n### Fixed rate: ").append(gateway.figure("fixed.rate")).append(" req/s, ")
                .append(gateway.figure("fixed.seconds")).append(" s per row in ").append(gateway.figure("fixed.rounds"))
                .append(" alternating segments\n\n");
        md.append("req/s delivered is the mean of the row's segments, p50 and p99 the worst segment's, peak RSS the "
                + "highest VmRSS sampled every 0.5 s in any of them.\n\n");
        md.append("| Target | req/s delivered | p50 ms | p99 ms | 2xx | failed | Peak RSS MB |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        gateway.fixedNginx().ifPresent(r -> fixedRow(md, "nginx proxy_pass", r, gateway.figure("rss.nginx.mb")));
        for (GatewayMode mode : modes) {
            gateway.fixed(mode).ifPresent(r -> fixedRow(md, "Claimgate gateway proxying, " + mode.label(), r,
                    gateway.figure(mode, "rss.peak.mb")));
        }
        md.append("\n");
        fixedWarmup(md, gateway, modes);
        for (GatewayMode mode : modes) {
            md.append("Gateway with ").append(mode.label()).append(": VmHWM since start ")
                    .append(gateway.figure(mode, "rss.hwm.mb")).append(" MB; ran as `")
                    .append(gateway.figure(mode, "jvm.flags")).append("`; the JVM's flags (`jcmd PID VM.flags`): `")
                    .append(gateway.figure(mode, "jvm.vmflags")).append("`.\n\n");
        }
    }

    /** The unmeasured round before the fixed-rate rows: its p99s are shown, so that what the warm-up hid is seen. */
    private static void fixedWarmup(StringBuilder md, GatewayFigures gateway, List<GatewayMode> modes) {
        String seconds = gateway.figure("fixed.warmup.seconds");
        if (seconds.isBlank()) {
            return;
        }
        md.append("Before these rows, one unmeasured segment of ").append(seconds)
                .append(" s each at the same rate, in the same turn; its p99: nginx ")
                .append(fmt2(gateway.number("fixed.warmup.nginx.p99"))).append(" ms");
        for (GatewayMode mode : modes) {
            md.append(", gateway with ").append(mode.label()).append(' ')
                    .append(fmt2(gateway.number(mode, "fixed.warmup.p99"))).append(" ms");
        }
        md.append(". A gateway's first segment at a fixed rate is the JIT's first sight of what full speed never "
                + "runs (benchmarks/NOTES.md, \"The first fixed-rate segment measured the JIT\").\n\n");
    }

    private static void fixedRow(StringBuilder md, String name, LoadResult r, String rssMb) {
        md.append("| ").append(name).append(" | ").append(fmt(r.rps())).append(" | ").append(fmt2(r.p50Ms()))
                .append(" | ").append(fmt2(r.p99Ms())).append(" | ").append(r.ok()).append(" | ").append(r.failed())
                .append(" | ").append(rssMb.isBlank() ? "—" : rssMb).append(" |\n");
    }

    private static void warmupCurves(StringBuilder md, GatewayFigures gateway, List<GatewayMode> modes) {
        List<WarmupCurve> curves = modes.stream().map(gateway::curve).toList();
        int seconds = curves.stream().mapToInt(c -> c.perSecond().size()).max().orElse(0);
        if (seconds == 0) {
            return;
        }
        md.append("### Warm-up curve: req/s per second from a fresh start\n\n```\n    ");
        for (GatewayMode mode : modes) {
            md.append(String.format(Locale.ROOT, " %9s", mode.key()));
        }
        md.append("\n");
        for (int i = 0; i < seconds; i++) {
            md.append(String.format(Locale.ROOT, "%3d s", i + 1));
            for (WarmupCurve curve : curves) {
                md.append(i < curve.perSecond().size()
                        ? String.format(Locale.ROOT, " %,9.0f", curve.perSecond().get(i)) : String.format("%10s", ""));
            }
            md.append("\n");
        }
        md.append("```\n");
    }

    private static void targets(StringBuilder md, List<Row> rows, double openssl1) {
        Optional<Row> verify = find(rows, "ClaimgateVerificationBenchmark.verifyNotSeenBefore[corretto]", 1);
        target(md, "Verification of a token not seen before >= 0.7x OpenSSL verify/s (1 core)",
                verify.map(r -> r.score() / openssl1), 0.7, true, "x");
        Optional<Row> seen = find(rows, "AuthenticateBenchmark.authenticateSeenBefore[-]", 1);
        target(md, "authenticate(), token seen before >= 500,000/s per core", seen.map(Row::score), 500_000, true,
                " ops/s");
        target(md, "Allocation per cached authenticate() < 1 KB", seen.map(Row::alloc), 1024, false, " B/op");
        for (String key : LABELS.keySet()) {
            Optional<Row> one = find(rows, key, 1);
            Optional<Row> two = find(rows, key, 2);
            if (one.isPresent() && two.isPresent() && key.matches("(ClaimgateVerification|Authenticate).*")) {
                target(md, "2 threads >= 1.8x 1 thread: " + LABELS.get(key),
                        Optional.of(two.get().score() / one.get().score()), 1.8, true, "x");
            }
        }
    }

    private static void target(StringBuilder md, String name, Optional<Double> measured, double goal,
            boolean atLeast, String unit) {
        md.append("| ").append(name).append(" | ");
        if (measured.isEmpty() || measured.get().isNaN()) {
            md.append("not measured | — |\n");
            return;
        }
        double value = measured.get();
        boolean met = atLeast ? value >= goal : value <= goal;
        md.append(unit.equals("x") ? String.format(Locale.ROOT, "%.2fx", value) : fmt2(value) + unit).append(" | ");
        md.append(met ? "met" : String.format(Locale.ROOT, "missed by %.0f%%",
                100 * Math.abs(value - goal) / goal)).append(" |\n");
    }

    private static Optional<Row> find(List<Row> rows, String key, int threads) {
        return rows.stream().filter(r -> r.threads() == threads && r.key().equals(key)).findFirst();
    }

    private static double bestPeer(List<Row> rows, int threads) {
        return rows.stream().filter(r -> r.isPeer() && r.threads() == threads).mapToDouble(Row::score).max()
                .orElse(Double.NaN);
    }

    private static List<Row> readJmh(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            if (f.length < 7 || f[0].equals("class")) {
                continue;
            }
            rows.add(new Row(f[0], f[1], f[2], Integer.parseInt(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6])));
        }
        return rows;
    }

    private static String ratio(double value, double reference) {
        return Double.isNaN(value) || Double.isNaN(reference) || reference == 0 ? "—"
                : String.format(Locale.ROOT, "%.2fx", value / reference);
    }

    private static String fmt(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String fmt1(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String fmt2(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.2f", value);
    }
}
