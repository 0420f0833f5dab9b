package io.claimgate.benchmarks.gateway;

import java.util.Arrays;
import java.util.List;

/**
 * The two gateways one run of benchmarks/run.sh measures side by side, from the same jar and JVM flags: with limits and
 * spend off, and with them on (issue 10 asks what turning them on costs). Their figures carry the mode's key as a
 * prefix ({@code off.row.gateway.rps}); the baselines they share (direct, nginx) carry none.
 */
public enum GatewayMode {
    OFF("off", "limits and spend off"),
    ON("on", "limits and spend on");

    private final String key;
    private final String label;

    GatewayMode(String key, String label) {
        this.key = key;
        this.label = label;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    /** {@code "off,on"} as run.sh writes the gateways that started: those modes, in the order off, on. */
    public static List<GatewayMode> parse(String modes) {
        List<String> keys = modes == null ? List.of() : Arrays.asList(modes.strip().split("\\s*,\\s*"));
        return Arrays.stream(values()).filter(m -> keys.contains(m.key)).toList();
    }
}
