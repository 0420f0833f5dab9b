package io.claimgate.benchmarks;

import io.claimgate.benchmarks.gateway.GatewayBars;
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
 * a properties file read by {@link GatewayBars}, optional),
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
        GatewayBars gateway = arg.containsKey("gateway") ? GatewayBars.read(Path.of(arg.get("gateway")))
                : new GatewayBars(new java.util.Properties());
        String machine = arg.containsKey("machine") ? Files.readString(Path.of(arg.get("machine"))).strip() : "";

        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("How fast Claimgate verifies Keycloak tokens, next to the libraries a gateway team would use instead, "
                + "to the RSA limit of this machine (OpenSSL), and as a gateway under load.\n\n");
        md.append("Run everything (about 25 minutes on 2 cores) from a clean checkout:\n\n```\n")
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

        gateway(md, gateway, arg);
        md.append("\n## Token targets (issue 5)\n\n| Target | Measured | Verdict |\n|---|---|---|\n");
        targets(md, rows, openssl1);
        md.append("\nFigures measured while other builds ran on the same two cores are provisional.\n");
        if (arg.containsKey("notes") && Files.exists(Path.of(arg.get("notes")))) {
            md.append("\n").append(Files.readString(Path.of(arg.get("notes"))).strip()).append("\n");
        }
        Files.writeString(Path.of(arg.get("out")), md.toString());
    }

    private static void gateway(StringBuilder md, GatewayBars gateway, Map<String, String> arg) {
        md.append("\n## Gateway under load (hey, loopback)\n\n");
        if (!gateway.measured()) {
            md.append("Not measured in this run: ").append(arg.getOrDefault("gatewayNote",
                    "the gateway jar was not built.")).append("\n");
            return;
        }
        md.append(arg.getOrDefault("gatewayNote", "")).append("\n\n");
        md.append("### Gateway bars (issue 12)\n\n| Bar | Measured | Bar | Baseline, same run | Verdict |\n"
                + "|---|---|---|---|---|\n");
        for (GatewayBars.Bar b : gateway.bars()) {
            md.append("| ").append(b.name()).append(" | ").append(b.value()).append(" | ").append(b.bar())
                    .append(" | ").append(b.baseline()).append(" | **").append(b.verdict()).append("** |\n");
        }
        md.append("\n### Full speed, ").append(gateway.figure("connections")).append(" connections, ")
                .append(gateway.figure("load.seconds")).append(" s per row\n\n");
        md.append("| Target | req/s | × nginx proxy_pass | p50 ms | p99 ms | 2xx | failed | Row |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---|\n");
        double nginx = gateway.row("nginx").map(LoadResult::rps).orElse(Double.NaN);
        for (String[] row : GatewayBars.ROWS) {
            gateway.row(row[0]).ifPresent(r -> md.append("| ").append(row[1]).append(" | ").append(fmt(r.rps()))
                    .append(" | ").append(row[0].equals("direct") ? "—" : ratio(r.rps(), nginx)).append(" | ")
                    .append(fmt2(r.p50Ms())).append(" | ").append(fmt2(r.p99Ms())).append(" | ").append(r.ok())
                    .append(" | ").append(r.failed()).append(" | ").append(r.clean() ? "ok" : "**FAIL** (errors)")
                    .append(" |\n"));
        }
        md.append("\n### Fixed rate: ").append(gateway.figure("fixed.rate")).append(" req/s, ")
                .append(gateway.figure("fixed.seconds")).append(" s per row\n\n");
        md.append("| Target | req/s delivered | p50 ms | p99 ms | 2xx | failed |\n|---|---:|---:|---:|---:|---:|\n");
        for (String name : List.of("nginx", "gateway")) {
            gateway.fixed(name).ifPresent(r -> md.append("| ").append(name.equals("nginx") ? "nginx proxy_pass"
                    : "Claimgate gateway proxying").append(" | ").append(fmt(r.rps())).append(" | ")
                    .append(fmt2(r.p50Ms())).append(" | ").append(fmt2(r.p99Ms())).append(" | ").append(r.ok())
                    .append(" | ").append(r.failed()).append(" |\n"));
        }
        md.append("\nGateway peak RSS during the fixed-rate run: ").append(gateway.figure("rss.peak.mb"))
                .append(" MB (VmRSS sampled every 0.5 s); VmHWM since start: ").append(gateway.figure("rss.hwm.mb"))
                .append(" MB. The gateway ran as `").append(gateway.figure("jvm.flags"))
                .append("`; the JVM's flags (`jcmd PID VM.flags`): `").append(gateway.figure("jvm.vmflags"))
                .append("`.\n");
        WarmupCurve curve = gateway.curve();
        if (!curve.perSecond().isEmpty()) {
            md.append("\n### Warm-up curve: req/s per second from a fresh start\n\n```\n");
            for (int i = 0; i < curve.perSecond().size(); i++) {
                md.append(String.format(Locale.ROOT, "%3d s %,8.0f%n", i + 1, curve.perSecond().get(i)));
            }
            md.append("```\n");
        }
        String commands = gateway.figure("commands");
        if (!commands.isBlank()) {
            md.append("\n### Commands\n\n```\n").append(commands.replace(" ;; ", "\n")).append("\n```\n");
        }
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

    private static String fmt2(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.2f", value);
    }
}
