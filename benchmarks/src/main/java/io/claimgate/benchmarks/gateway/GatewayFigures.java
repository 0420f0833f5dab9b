package io.claimgate.benchmarks.gateway;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The figures one run of benchmarks/run.sh wrote to {@code gateway.properties}: the baselines every gateway shares
 * ({@code row.direct.*}, {@code row.nginx.*}, {@code fixed.nginx.*}, {@code stream.direct.*}) and each gateway's own,
 * under its mode's prefix ({@code off.row.gateway.*}, {@code on.fixed.gateway.*}, ...). Reads, decides nothing.
 */
public final class GatewayFigures {

    private final Properties figures;

    public GatewayFigures(Properties figures) {
        this.figures = figures;
    }

    public static GatewayFigures read(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return new GatewayFigures(p);
    }

    /** Whether the load test ran at all: the floor every bar is judged against was measured. */
    public boolean measured() {
        return figures.getProperty("row.nginx.rps") != null;
    }

    /** The gateways that started and were measured, off before on. */
    public List<GatewayMode> modes() {
        return GatewayMode.parse(figures.getProperty("modes", ""));
    }

    public String figure(String key) {
        return figures.getProperty(key, "");
    }

    public String figure(GatewayMode mode, String key) {
        return figure(mode.key() + "." + key);
    }

    /** The figure as a number; NaN when absent or not a number. */
    public double number(String key) {
        return LoadResult.number(figures, key);
    }

    public double number(GatewayMode mode, String key) {
        return number(mode.key() + "." + key);
    }

    /** A baseline row at full speed: {@code direct} or {@code nginx}. */
    public Optional<LoadResult> row(String name) {
        return LoadResult.read(figures, "row." + name);
    }

    /** A gateway's row at full speed: {@code gateway} (the proxy path) or {@code auth}. */
    public Optional<LoadResult> row(GatewayMode mode, String path) {
        return LoadResult.read(figures, mode.key() + ".row." + path);
    }

    /** nginx's fixed-rate row. */
    public Optional<LoadResult> fixedNginx() {
        return LoadResult.read(figures, "fixed.nginx");
    }

    /** A gateway's fixed-rate row (proxy path). */
    public Optional<LoadResult> fixed(GatewayMode mode) {
        return LoadResult.read(figures, mode.key() + ".fixed.gateway");
    }

    public WarmupCurve curve(GatewayMode mode) {
        return WarmupCurve.parse(figure(mode, "curve"));
    }

    /** CPU time of the gateway's JVM per request of a full-speed row, µs; NaN when not measured. */
    public double gatewayCpuMicros(GatewayMode mode, String path) {
        return number(mode, "row." + path + ".cpu.gateway.us");
    }

    /** CPU time of the gateway's embedded PostgreSQL (postmaster and backends) per request of a row, µs. */
    public double databaseCpuMicros(GatewayMode mode, String path) {
        return number(mode, "row." + path + ".cpu.db.us");
    }

    /** Whether the gateway's rate limiter counted the first proxied request (it answered x-ratelimit headers). */
    public boolean limiterCounted(GatewayMode mode) {
        return figure(mode, "limiter").equals("counted");
    }
}
