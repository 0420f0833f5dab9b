package io.claimgate.validator;

import java.util.function.Supplier;

/**
 * Lets an event-loop server call the library on a thread that must never wait for I/O.
 *
 * <p>Nearly every request is answered from memory: its signing key is held fresh and its team, user and organization
 * are cached. Running those on the server's selector thread spares a hand-off to a worker thread per request. The few
 * that need the network (a key fetch, a database lookup after a cache miss) must not stall the selector, so inside
 * {@link #forbidden} every place that would wait throws {@link WouldBlockException} <em>before</em> it waits or changes
 * anything, and the server runs the same work again on a thread that may wait.
 *
 * <p>The library's waiting places check {@link #check}; a gateway adds its own (its rate-limit store, for instance).
 * Code between such a place and {@link #forbidden} must let the exception through: it is not a failure.
 */
public final class Blocking {

    private static final ThreadLocal<Boolean> FORBIDDEN = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Blocking() {
    }

    /** Thrown where the calling thread would wait while waiting is forbidden; carries no stack trace (it is routine). */
    public static final class WouldBlockException extends RuntimeException {

        private WouldBlockException(String place) {
            super(place + " would wait for I/O on a thread that must not block", null, false, false);
        }
    }

    /**
     * Runs {@code work} with waiting forbidden on this thread.
     *
     * @throws WouldBlockException when the work reached a place that would wait; nothing after that place ran
     */
    public static <T> T forbidden(Supplier<T> work) {
        boolean outer = FORBIDDEN.get();
        FORBIDDEN.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            FORBIDDEN.set(outer);
        }
    }

    /** As {@link #forbidden(Supplier)}, for work without a result. */
    public static void forbidden(Runnable work) {
        forbidden(() -> {
            work.run();
            return null;
        });
    }

    /** Whether waiting is forbidden on this thread now. */
    public static boolean isForbidden() {
        return FORBIDDEN.get();
    }

    /**
     * Called where the caller is about to wait for I/O.
     *
     * @param place what would wait, for the exception's message
     * @throws WouldBlockException when waiting is forbidden on this thread
     */
    public static void check(String place) {
        if (FORBIDDEN.get()) {
            throw new WouldBlockException(place);
        }
    }
}
