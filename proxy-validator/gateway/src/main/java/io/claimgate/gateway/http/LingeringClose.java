package io.claimgate.gateway.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * Closes a connection whose request body was refused unread without losing the answer, as nginx's lingering close
 * does.
 *
 * <p>A client that is still sending its body when the gateway answers (a 401 to a 5 MB upload) would otherwise get a
 * TCP reset instead of the answer: closing a socket with unread bytes in it makes the kernel reset the connection, and
 * a reset discards what the client had not read yet. So once the answer is written the output is shut (the client sees
 * the answer and the end of the stream at once), what still arrives is read into nothing, and the connection is closed
 * when the client stops sending or after a short, fixed time. Nothing is parsed, kept or allocated per byte, and no
 * thread waits: reads are demand-driven.
 */
final class LingeringClose {

    /** How long a refused client may keep sending before the connection is closed under it. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private LingeringClose() {
    }

    /** A callback for writing the answer that, once it is written, lingers as above and then completes {@code done}. */
    static Callback after(Request request, Callback done) {
        return Callback.from(() -> linger(request, done), done::failed);
    }

    private static void linger(Request request, Callback done) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        endPoint.shutdownOutput();
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                done.succeeded();
            }
        };
        request.getComponents().getScheduler().schedule(finish, LINGER.toMillis(), TimeUnit.MILLISECONDS);
        discard(request, finish, finished);
    }

    private static void discard(Request request, Runnable finish, AtomicBoolean finished) {
        while (!finished.get()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(() -> discard(request, finish, finished));
                return;
            }
            boolean last = chunk.isLast() || Content.Chunk.isFailure(chunk);
            chunk.release();
            if (last) {
                finish.run();
                return;
            }
        }
    }
}
