package io.claimgate.benchmarks.gateway;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Throughput of a freshly started gateway, one figure per second of load. The bar asks when it first reaches a
 * fraction of the steady throughput measured after the warm-up, so a JVM that needs a minute of JIT before it is
 * fast shows as such even when its steady figure is good.
 */
public record WarmupCurve(List<Double> perSecond) {

    /** {@code "812.5 1904 ..."}: one req/s figure per 1 s slice, in order. */
    public static WarmupCurve parse(String slices) {
        String s = slices == null ? "" : slices.strip();
        return new WarmupCurve(s.isEmpty() ? List.of()
                : Arrays.stream(s.split("[\\s,]+")).map(Double::parseDouble).toList());
    }

    /**
     * Seconds of load after which the throughput first reached {@code fraction} of {@code steady}: slice {@code i}
     * (0-based) covers second {@code i + 1}, so reaching it in the first slice gives 1. Empty when never reached.
     */
    public OptionalInt secondsToReach(double fraction, double steady) {
        if (!(steady > 0)) {
            return OptionalInt.empty();
        }
        for (int i = 0; i < perSecond.size(); i++) {
            if (perSecond.get(i) >= fraction * steady) {
                return OptionalInt.of(i + 1);
            }
        }
        return OptionalInt.empty();
    }
}
