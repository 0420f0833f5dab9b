package io.claimgate.gateway.http;

import io.claimgate.gateway.config.GatewaySettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP edge on Netty: one listener, an event loop per core that reads, decides and writes every
 * request and its upstream leg, and a small pool of workers for what must wait (a key fetch, a database or Redis
 * round trip after a cache miss, the management API).
 *
 * <p>Chosen by measurement (issue 12, docs/benchmarks.md "HTTP stack floor"): the same minimal proxy cost 72-118 µs of
 * CPU per request on Jetty 12 and 28-44 µs on Netty on this project's benchmark machine. Epoll is used where its
 * native library loads (Linux x86-64), NIO elsewhere.
 */
public final class HttpEdge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);

    /** Workers only wait on I/O after a cache miss; 64 is far more than that needs at once, and threads cost RSS. */
    private static final int MAX_WORKERS = 64;
    /** The request line: a path with its query string. */
    private static final int MAX_REQUEST_LINE = 16 * 1024;

    private final GatewaySettings settings;
    private final int maxHeaderBytes;
    private final boolean epoll = Epoll.isAvailable();
    private final MultiThreadIoEventLoopGroup loops;
    private final ThreadPoolExecutor workers;
    private Consumer<Exchange> endpoints;
    private Channel listener;

    /**
     * @param maxTokenLength the longest token the authenticator accepts: the header section has room for it, so a
     *                       long token gets its 401 from the authenticator in LiteLLM's shape, not a bare 431
     */
    public HttpEdge(GatewaySettings settings, int maxTokenLength) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maxHeaderBytes = Math.max(32 * 1024, maxTokenLength + 16 * 1024);
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new EventLoopThreads("gateway-loop"), io);
        this.workers = new ThreadPoolExecutor(MAX_WORKERS, MAX_WORKERS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named("gateway-worker"));
        workers.allowCoreThreadTimeOut(true);
    }

    /** The threads that may wait. */
    public ExecutorService workers() {
        return workers;
    }

    /** The socket channel type of the event loops, for connections to the upstream. */
    public Class<? extends Channel> channelType() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** What answers each request (exactly once, from any thread). */
    public void serve(Consumer<Exchange> handler) {
        this.endpoints = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Binds the listener.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public void start() {
        Objects.requireNonNull(endpoints, "serve() first");
        Class<? extends ServerChannel> serverChannel = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        long idleNanos = settings.readTimeout().toNanos();
        HttpDecoderConfig decoding = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(16 * 1024);
        try {
            listener = new ServerBootstrap()
                    .group(loops)
                    .channel(serverChannel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS),
                                    new HttpServerCodec(decoding),
                                    new GatewayConnection(endpoints));
                        }
                    })
                    .bind(settings.host(), settings.port()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.debug("listening with {} ({} event loops)", epoll ? "epoll" : "NIO", loops.executorCount());
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Blocks until the listener closes. */
    public void join() throws InterruptedException {
        listener.closeFuture().sync();
    }

    /** Stops listening, closes every connection, and stops the workers. */
    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(false);
            return thread;
        };
    }
}
