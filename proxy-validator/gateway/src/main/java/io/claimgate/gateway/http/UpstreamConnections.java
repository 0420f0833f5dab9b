package io.claimgate.gateway.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Kept-alive connections to the upstream, each living on one event loop: a request is sent on a connection of the
 * event loop that read it, so its answer is copied back to the caller on the same thread, without a hand-off or a
 * lock. Idle connections wait in a pool per event loop, touched only by that loop's thread.
 *
 * <p>A connection idle for longer than {@link #POOLED_IDLE} is not reused but closed: servers close idle connections
 * on their own schedule (uvicorn, which serves LiteLLM, after 5 s), and a request sent just as the server closes
 * would fail.
 */
final class UpstreamConnections {

    /** Below uvicorn's default keep-alive timeout (5 s), so a pooled connection is not closed under a request. */
    static final Duration POOLED_IDLE = Duration.ofSeconds(4);
    /** Answer headers of an upstream may be larger than a caller's (cost and rate-limit headers, cookies). */
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final URI upstream;
    private final String host;
    private final int port;
    private final SslContext tls;
    private final Class<? extends Channel> channelType;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final FastThreadLocal<ArrayDeque<Idle>> idle = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Idle> initialValue() {
            return new ArrayDeque<>();
        }
    };

    /** A pooled connection and when it became idle. */
    private record Idle(Channel channel, long since) {
    }

    UpstreamConnections(URI upstream, Class<? extends Channel> channelType, Duration connectTimeout,
                        Duration readTimeout) {
        this.upstream = upstream;
        boolean https = "https".equals(upstream.getScheme().toLowerCase(Locale.ROOT));
        this.host = upstream.getHost();
        this.port = upstream.getPort() > 0 ? upstream.getPort() : https ? 443 : 80;
        this.channelType = channelType;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        try {
            this.tls = https ? SslContextBuilder.forClient().build() : null;
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS to the upstream", e);
        }
    }

    /** The {@code Host} header for the upstream: its authority as configured, without user info. */
    String hostHeader() {
        boolean defaultPort = upstream.getPort() < 0;
        return defaultPort ? host : host + ":" + port;
    }

    /**
     * Hands {@code use} a connection on {@code loop}: a pooled one (reused = true) or a new one; {@code failed} when no
     * connection could be made. Both run on {@code loop}.
     */
    void acquire(EventLoop loop, BiConsumer<UpstreamHandler, Boolean> use, Consumer<Throwable> failed) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> acquire(loop, use, failed));
            return;
        }
        ArrayDeque<Idle> pool = idle.get();
        long now = System.nanoTime();
        Idle candidate;
        while ((candidate = pool.pollLast()) != null) {
            Channel channel = candidate.channel();
            if (channel.isActive() && now - candidate.since() < POOLED_IDLE.toNanos()) {
                use.accept(channel.pipeline().get(UpstreamHandler.class), true);
                return;
            }
            channel.close();
        }
        connect(loop, use, failed);
    }

    /** Hands {@code use} a new connection on {@code loop}. */
    void connect(EventLoop loop, BiConsumer<UpstreamHandler, Boolean> use, Consumer<Throwable> failed) {
        UpstreamHandler handler = new UpstreamHandler(this);
        new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        connectTimeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(4096, MAX_HEADER_BYTES, 8192),
                                new IdleStateHandler(readTimeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS),
                                handler);
                    }
                })
                .connect(host, port).addListener((ChannelFutureListener) connected -> {
                    if (connected.isSuccess()) {
                        use.accept(handler, false);
                    } else {
                        failed.accept(connected.cause());
                    }
                });
    }

    /** Takes back a connection whose answer ended cleanly and that the upstream keeps open. */
    void release(Channel channel) {
        idle.get().addLast(new Idle(channel, System.nanoTime()));
        // Reading while idle notices the upstream closing the connection (it then leaves the pool when next taken).
        channel.read();
    }
}
