package io.claimgate.gateway.http;

import io.claimgate.gateway.config.BodyReadLimits;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads an authenticated caller's request body into memory without parking a server thread while it arrives: Jetty
 * calls back when bytes are there ({@link Request#demand}), so a stalled upload costs a connection and its bytes so
 * far, never a thread.
 *
 * <p>Everything about a body is bounded: its size ({@code max_request_body_bytes}, 413, checked against the declared
 * {@code Content-Length} before reading and against the bytes while reading, with no allocation sized from what the
 * client declares), its duration and average rate ({@link BodyReadLimits}, 408), and how many are read at once (503
 * with {@code Retry-After} when full). A body with a {@code Content-Encoding} is refused (415): the model in it could
 * not be read, and the upstream might decode it.
 */
public final class BodyReader {

    /** The request attribute set once the whole body has been read: a refusal after it may keep the connection. */
    static final String FULLY_READ = BodyReader.class.getName() + ".fullyRead";

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

    /** Whether the request sends a body that has not been read in full: answering it must close the connection. */
    static boolean leavesBodyUnread(Request request) {
        if (request.getAttribute(FULLY_READ) != null) {
            return false;
        }
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        return declared > 0 || (declared < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    /**
     * Starts reading; exactly one of {@code onBody} or {@code onFailure} is called, later, on a thread that may block.
     *
     * @throws HttpError at once (nothing read) for an encoded body (415), a declared length over the limit (413) or
     *                   no free read slot (503)
     */
    public void read(Request request, Consumer<byte[]> onBody, Consumer<Throwable> onFailure) {
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw HttpError.badRequest(415, "content_encoding_refused", "Request bodies with a Content-Encoding ("
                    + "here '" + printable(encoding) + "') are not accepted: send the body uncompressed", null);
        }
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > maxBytes) {
            throw tooLarge();
        }
        if (declared == 0 || (declared < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING))) {
            request.setAttribute(FULLY_READ, Boolean.TRUE);
            onBody.accept(EMPTY);
            return;
        }
        if (!slots.tryAcquire()) {
            throw HttpError.unavailable(503, "body_reads_full", "The gateway is reading as many request bodies as it "
                    + "may (gateway.max_concurrent_body_reads); retry shortly", null);
        }
        new Reading(request, onBody, onFailure).start();
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

    /** One body being read: the demand callback appends, the scheduler enforces the deadline and the rate. */
    private final class Reading implements Runnable {

        private final Request request;
        private final Consumer<byte[]> onBody;
        private final Consumer<Throwable> onFailure;
        private final AtomicBoolean done = new AtomicBoolean();
        private final long start = System.nanoTime();
        private final long deadline = start + limits.timeout().toNanos();
        private final Scheduler scheduler;
        private volatile long received;
        private volatile Scheduler.Task check;
        // Touched only by the demand callbacks, which Jetty never runs concurrently for one request.
        private byte[] buffer = EMPTY;

        Reading(Request request, Consumer<byte[]> onBody, Consumer<Throwable> onFailure) {
            this.request = request;
            this.onBody = onBody;
            this.onFailure = onFailure;
            this.scheduler = request.getComponents().getScheduler();
        }

        void start() {
            run();
        }

        @Override
        public void run() {
            try {
                while (!done.get()) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        if (check == null) {
                            // Only a body that has to be waited for is timed: most arrive with their headers, and
                            // a scheduled check per request costs the scheduler's lock twice.
                            arm(System.nanoTime());
                        }
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        chunk.release();
                        fail(HttpError.badRequest(400, "body_unreadable", "The request body could not be read",
                                null));
                        return;
                    }
                    boolean last = chunk.isLast();
                    try {
                        append(chunk);
                    } finally {
                        chunk.release();
                    }
                    if (last) {
                        succeed();
                        return;
                    }
                }
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        private void append(Content.Chunk chunk) {
            java.nio.ByteBuffer bytes = chunk.getByteBuffer();
            int n = bytes.remaining();
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
            bytes.get(buffer, (int) received, n);
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
            check = scheduler.schedule(this::checkPace, Math.max(1, next - now), TimeUnit.NANOSECONDS);
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
                request.setAttribute(FULLY_READ, Boolean.TRUE);
                byte[] body = received == buffer.length ? buffer : Arrays.copyOf(buffer, (int) received);
                buffer = EMPTY;
                onBody.accept(body);
            }
        }

        private void fail(Throwable failure) {
            if (finish()) {
                onFailure.accept(failure);
            }
        }

        private boolean finish() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            Scheduler.Task task = check;
            if (task != null) {
                task.cancel();
            }
            slots.release();
            return true;
        }
    }
}
