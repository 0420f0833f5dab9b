package io.claimgate.gateway.spend;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Reads the usage of an answer from its bytes as they pass to the client, without holding the answer: feed every
 * chunk in order, then ask {@link #usage()} when the answer has ended.
 *
 * <p>A scanner is for one answer and one thread (the one forwarding that answer); it keeps a fixed, small amount of
 * memory whatever the answer's size, and never throws on malformed input: an answer it cannot read reports no usage.
 */
public interface UsageScanner {

    /** Scans the bytes between the buffer's position and limit, leaving the buffer's position untouched. */
    void feed(ByteBuffer chunk);

    /** Scans {@code length} bytes of {@code chunk} from {@code offset}. */
    void feed(byte[] chunk, int offset, int length);

    /** The usage the answer reported so far; empty when it reported none. */
    Optional<Usage> usage();

    /**
     * The scanner for an answer of this {@code Content-Type}: server-sent events for {@code text/event-stream},
     * else a JSON document.
     */
    static UsageScanner forContentType(String contentType) {
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream")) {
            return new EventStreamUsageScanner();
        }
        return new JsonUsageScanner();
    }
}
