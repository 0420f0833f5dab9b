package io.claimgate.gateway.http;

import io.claimgate.validator.Blocking;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Runs request work on the event loop that read the request, and on a worker thread only when it must wait.
 *
 * <p>Nearly every request is decided from memory (a fresh signing key, cached objects, remembered limits), and
 * handing it to another thread costs more than deciding it (issue 12). So the work runs here with waiting forbidden
 * ({@link Blocking}); a place that would wait (a key fetch, a database or Redis round trip) throws before it changes
 * anything, and the same work runs again from the start on a worker, where it may wait. Work given here must
 * therefore be restartable up to its first waiting place, and must let {@link Blocking.WouldBlockException} through.
 */
final class InlineFirst {

    private final Executor workers;

    InlineFirst(Executor workers) {
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    /** Runs a request's work from its start: here if it need not wait, else on a worker. */
    void start(Runnable work) {
        try {
            Blocking.forbidden(work);
        } catch (Blocking.WouldBlockException e) {
            workers.execute(work);
        }
    }

    /**
     * Runs the next part of a request's work on the thread that finished the previous part: inline, with the same
     * fallback, when that thread may not wait (an event loop); directly on a worker.
     */
    void proceed(Runnable work) {
        if (Blocking.isForbidden() || EventLoopThreads.isCurrent()) {
            start(work);
        } else {
            work.run();
        }
    }
}
