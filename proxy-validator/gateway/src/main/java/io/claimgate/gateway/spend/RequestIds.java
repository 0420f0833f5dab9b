package io.claimgate.gateway.spend;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code request_id} of the spend log rows this process writes: unique, so that a retried flush books a request
 * once ({@code ON CONFLICT (request_id) DO NOTHING}) and replicas never collide.
 *
 * <p>A random 128-bit prefix drawn once per process, then a counter: an id costs an increment, where
 * {@code UUID.randomUUID()} costs a draw from the shared {@link SecureRandom} on every answer. Two processes collide
 * only if their prefixes do (2<sup>-128</sup>); one process never repeats an id.
 */
final class RequestIds {

    private final String prefix;
    private final AtomicLong next = new AtomicLong();

    RequestIds() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.prefix = "claimgate-" + HexFormat.of().formatHex(random) + "-";
    }

    /** A new id, e.g. {@code claimgate-5f0c…e1-1a}. */
    String next() {
        return spell(prefix, nextNumber());
    }

    /** The number of a new id, which {@link #spell} turns into its text with {@link #prefix()}. */
    long nextNumber() {
        return next.incrementAndGet();
    }

    String prefix() {
        return prefix;
    }

    /** The id numbered {@code number} under {@code prefix}: the same text every time. */
    static String spell(String prefix, long number) {
        return prefix + Long.toHexString(number);
    }
}
