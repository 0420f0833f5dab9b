package io.claimgate.benchmarks.gateway;

import java.util.Properties;

/**
 * One {@code hey} run as run.sh recorded it: throughput, latency percentiles, and how many answers were 2xx and how
 * many were not (non-2xx statuses plus transport errors). A run with any failed answer proves nothing about speed:
 * an error is often answered faster than the work it skipped.
 */
public record LoadResult(double rps, double p50Ms, double p99Ms, long ok, long failed) {

    /** Reads {@code PREFIX.rps}, {@code .p50}, {@code .p99}, {@code .ok}, {@code .failed}; empty when not measured. */
    static java.util.Optional<LoadResult> read(Properties p, String prefix) {
        if (p.getProperty(prefix + ".rps") == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new LoadResult(number(p, prefix + ".rps"), number(p, prefix + ".p50"),
                number(p, prefix + ".p99"), (long) number(p, prefix + ".ok"), (long) number(p, prefix + ".failed")));
    }

    /** Usable as a figure: something was answered, and every answer was a 2xx. */
    public boolean clean() {
        return ok > 0 && failed == 0 && rps > 0;
    }

    static double number(Properties p, String key) {
        String v = p.getProperty(key, "").strip();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
