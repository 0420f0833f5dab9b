package io.claimgate.gateway.http;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the gateway's event-loop threads, and tells them apart: they read, decide and write every request, so work
 * on them must never wait ({@link InlineFirst}). Lettuce's and other libraries' Netty threads are not among them.
 */
public final class EventLoopThreads implements ThreadFactory {

    private final AtomicInteger count = new AtomicInteger();
    private final String prefix;

    public EventLoopThreads(String prefix) {
        this.prefix = prefix;
    }

    /** Whether the calling thread is one of the gateway's event loops. */
    public static boolean isCurrent() {
        return Thread.currentThread() instanceof LoopThread;
    }

    @Override
    public Thread newThread(Runnable work) {
        return new LoopThread(work, prefix + "-" + count.incrementAndGet());
    }

    private static final class LoopThread extends FastThreadLocalThread {

        LoopThread(Runnable work, String name) {
            super(work, name);
        }
    }
}
