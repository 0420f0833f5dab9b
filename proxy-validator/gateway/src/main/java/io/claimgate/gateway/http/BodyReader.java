package io.claimgate.gateway.http;

import io.claimgate.gateway.config.BodyReadLimits;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Reads an authenticated caller's request body into memory without parking a thread while it arrives: the
 * connection hands over bytes as they are read ({@link Exchange#readBody}), so a stalled upload costs a connection
 * and its bytes so far, never a thread.
 *
 * <p>Everything about a body is bounded: its size ({@code max_request_body_bytes}, 413, checked against the declared
 * {@code Content-Length} before reading and against the bytes while reading, with no allocation sized from what the
 * client declares), its duration and average rate ({@link BodyReadLimits}, 408), and how many are read at once (503
 * with {@code Retry-After} when full). A body with a {@code Content-Encoding} is refused (415): the model in it could
 * not be read, and the upstream might decode it.
 */
public final class BodyReader {

    private static final byte[] EMPTY = new byte[0];
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final BodyReadLimits limits;
    private final long maxBytes;
    private final Semaphore slots;

    public BodyReader(BodyReadLimits limits, long maxBytes) {
        this.limits = limits;
        this.maxBytes = maxBytes;
        this.slots = new Semaphore(limits.maxConcurrent());
    }

    /**
     * Starts reading; exactly one of {@code onBody} or {@code onFailure} is called, on the connection's event loop
     * (at once for a request without a body). Neither may wait there.
     *
     * @throws HttpError at once (nothing read) for an encoded body (415), a declared length over the limit (413) or
     *                   no free read slot (503)
     */
    public void read(Exchange exchange, Consumer<byte[]> onBody, Consumer<Throwable> onFailure) {
        HttpHeaders headers = exchange.headers();
        String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw HttpError.badRequest(415, "content_encoding_refused", "Request bodies with a Content-Encoding ("
                    + "here '" + printable(encoding) + "') are not accepted: send the body uncompressed", null);
        }
        // The connection has refused a malformed or repeated Content-Length before this is reached.
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && Long.parseLong(length.trim()) > maxBytes) {
            throw tooLarge();
        }
        if (!exchange.declaresBody()) {
            onBody.accept(EMPTY);
            return;
        }
        if (!slots.tryAcquire()) {
            throw HttpError.unavailable(503, "body_reads_full", "The gateway is reading as many request bodies as it "
                    + "may (gateway.max_concurrent_body_reads); retry shortly", null);
        }
        new Reading(exchange, onBody, onFailure).start();
    }

    private static HttpError tooLarge(long limit) {
        return HttpError.badRequest(413, "request_too_large", "Request body is larger than the limit of " + limit
                + " bytes", null);
    }

    private HttpError tooLarge() {
        return tooLarge(maxBytes);
    }

    private static String printable(String value) {
        String cut = value.length() > 32 ? value.substring(0, 32) : value;
        return cut.replaceAll("[^A-Za-z0-9,._-]", "?");
    }

    /** One body being read: the connection hands over its bytes, a timer on its event loop enforces the pace. */
    private final class Reading implements Exchange.BodySink {

        private final Exchange exchange;
        private final Consumer<byte[]> onBody;
        private final Consumer<Throwable> onFailure;
        private final AtomicBoolean done = new AtomicBoolean();
        private final long start = System.nanoTime();
        private final long deadline = start + limits.timeout().toNanos();
        // Touched only on the connection's event loop.
        private long received;
        private ScheduledFuture<?> check;
        private byte[] buffer = EMPTY;

        Reading(Exchange exchange, Consumer<byte[]> onBody, Consumer<Throwable> onFailure) {
            this.exchange = exchange;
            this.onBody = onBody;
            this.onFailure = onFailure;
        }

        void start() {
            exchange.readBody(this);
        }

        @Override
        public void chunk(ByteBuf data, boolean last) {
            if (done.get()) {
                return;
            }
            try {
                append(data);
            } catch (HttpError e) {
                fail(e);
                return;
            }
            if (last) {
                succeed();
            } else if (check == null) {
                // Only a body that has to be waited for is timed: most arrive with their headers.
                arm(System.nanoTime());
            }
        }

        @Override
        public void broken() {
            fail(HttpError.badRequest(400, "body_unreadable", "The request body could not be read", null));
        }

        private void append(ByteBuf data) {
            int n = data.readableBytes();
            if (n == 0) {
                return;
            }
            long total = received + n;
            if (total > maxBytes) {
                throw tooLarge();
            }
            if (total > buffer.length) {
                // Grows with what arrived, never with what was declared; doubling keeps copies linear.
                buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes, Math.max(total, 2L * buffer.length)));
            }
            data.getBytes(data.readerIndex(), buffer, (int) received, n);
            received = total;
        }

        /** Schedules the next check for when the deadline or the minimum rate could next be missed. */
        private void arm(long now) {
            long next = deadline;
            long rate = limits.minBytesPerSecond();
            if (rate > 0) {
                long rateDeadline = start + GRACE_NANOS + (long) Math.min(limits.timeout().toNanos(),
                        received * 1e9 / rate);
                next = Math.min(next, rateDeadline);
            }
            check = exchange.eventLoop().schedule(this::checkPace, Math.max(1, next - now), TimeUnit.NANOSECONDS);
        }

        private void checkPace() {
            if (done.get()) {
                return;
            }
            long now = System.nanoTime();
            long rate = limits.minBytesPerSecond();
            if (now - deadline >= 0) {
                fail(HttpError.badRequest(408, "body_read_timeout", "The request body did not arrive within "
                        + limits.timeout().toSeconds() + " seconds (gateway.body_read_timeout)", null));
            } else if (rate > 0 && now - start >= GRACE_NANOS
                    && received < rate * ((now - start - GRACE_NANOS) / 1e9)) {
                fail(HttpError.badRequest(408, "body_too_slow", "The request body arrived slower than " + rate
                        + " bytes per second (gateway.body_min_bytes_per_second)", null));
            } else {
                arm(now);
            }
        }

        private void succeed() {
            if (finish()) {
                byte[] body = received == buffer.length ? buffer : Arrays.copyOf(buffer, (int) received);
                buffer = EMPTY;
                onBody.accept(body);
            }
        }

        private void fail(Throwable failure) {
            if (finish()) {
                exchange.stopReadingBody();
                buffer = EMPTY;
                onFailure.accept(failure);
            }
        }

        private boolean finish() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            ScheduledFuture<?> task = check;
            if (task != null) {
                task.cancel(false);
            }
            slots.release();
            return true;
        }
    }
}
