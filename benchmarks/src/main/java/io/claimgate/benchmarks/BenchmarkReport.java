package io.claimgate.benchmarks;

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
 * {@code openssl2=} (verify/s with one and two processes), {@code gateway=} (TSV from run.sh, optional),
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

    private record GatewayRow(String target, int connections, double rps, double p50, double p99, double rssMb,
            long failed) {
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
        List<GatewayRow> gateway = arg.containsKey("gateway") && Files.exists(Path.of(arg.get("gateway")))
                ? readGateway(Path.of(arg.get("gateway"))) : List.of();
        String machine = arg.containsKey("machine") ? Files.readString(Path.of(arg.get("machine"))).strip() : "";

        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("How fast Claimgate verifies Keycloak tokens, next to the libraries a gateway team would use instead, "
                + "to the RSA limit of this machine (OpenSSL), and as a gateway under load.\n\n");
        md.append("Run everything (about 15 minutes on 2 cores) from a clean checkout:\n\n```\n")
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

        md.append("\n## Gateway under load (wrk, loopback)\n\n");
        if (gateway.isEmpty()) {
            md.append("Not measured in this run: ").append(arg.getOrDefault("gatewayNote",
                    "the gateway jar was not built.")).append("\n");
        } else {
            md.append(arg.getOrDefault("gatewayNote", "")).append("\n\n");
            md.append("| Target | Connections | req/s | p50 ms | p99 ms | RSS MB | non-2xx + socket errors |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|\n");
            for (GatewayRow g : gateway) {
                md.append("| ").append(g.target()).append(" | ").append(g.connections()).append(" | ")
                        .append(fmt(g.rps())).append(" | ").append(fmt2(g.p50())).append(" | ")
                        .append(fmt2(g.p99())).append(" | ").append(Double.isNaN(g.rssMb()) ? "" : fmt(g.rssMb()))
                        .append(" | ").append(g.failed()).append(" |\n");
            }
        }

        md.append("\n## Targets (issue 5)\n\n| Target | Measured | Verdict |\n|---|---|---|\n");
        targets(md, rows, openssl1, gateway);
        md.append("\nFigures measured while other builds ran on the same two cores are provisional.\n");
        if (arg.containsKey("notes") && Files.exists(Path.of(arg.get("notes")))) {
            md.append("\n").append(Files.readString(Path.of(arg.get("notes"))).strip()).append("\n");
        }
        Files.writeString(Path.of(arg.get("out")), md.toString());
    }

    private static void targets(StringBuilder md, List<Row> rows, double openssl1, List<GatewayRow> gateway) {
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
        Optional<GatewayRow> direct = gateway.stream().filter(g -> g.target().startsWith("upstream direct"))
                .min((a, b) -> Integer.compare(a.connections(), b.connections()));
        Optional<GatewayRow> gw = gateway.stream().filter(g -> g.target().startsWith("Claimgate"))
                .min((a, b) -> Integer.compare(a.connections(), b.connections()));
        target(md, "Gateway: added p99 latency < 1 ms (lowest connection count; see note on fixed rate)",
                gw.flatMap(g -> direct.map(d -> g.p99() - d.p99())), 1.0, false, " ms");
        Optional<Double> gwMax = gateway.stream().filter(g -> g.target().startsWith("Claimgate"))
                .map(GatewayRow::rps).max(Double::compare);
        Optional<Double> nginxMax = gateway.stream().filter(g -> g.target().startsWith("nginx"))
                .map(GatewayRow::rps).max(Double::compare);
        target(md, "Gateway throughput >= 0.5x nginx proxy", gwMax.flatMap(g -> nginxMax.map(n -> g / n)), 0.5,
                true, "x");
        target(md, "Gateway resident memory under load <= 300 MB", gateway.stream()
                .filter(g -> g.target().startsWith("Claimgate") && !Double.isNaN(g.rssMb()))
                .map(GatewayRow::rssMb).max(Double::compare), 300, false, " MB");
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

    private static List<GatewayRow> readGateway(Path file) throws IOException {
        List<GatewayRow> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            if (f.length < 7) {
                continue;
            }
            rows.add(new GatewayRow(f[0], Integer.parseInt(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), f[5].isBlank() ? Double.NaN : Double.parseDouble(f[5]),
                    Long.parseLong(f[6])));
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
