package io.claimgate.benchmarks.stack;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
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
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The Netty floor for the same proxy path: HttpServerCodec with the small body aggregated, and client channels to the
 * upstream on the event loop of the caller's connection, kept alive in a pool per event loop (touched only by its
 * own thread, so without locks). The upstream's answer is streamed back object by object, not aggregated.
 * Epoll when its native transport loads, NIO otherwise (printed at start).
 */
final class NettyProbe {

    private static final int MAX_BODY = 1024 * 1024;
    private static final byte[] UNAUTHORIZED = ("{\"error\":{\"message\":\"unknown token\","
            + "\"type\":\"auth_error\",\"param\":null,\"code\":\"401\"}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] BAD_REQUEST = ("{\"error\":{\"message\":\"malformed request\","
            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"400\"}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] BAD_GATEWAY = ("{\"error\":{\"message\":\"upstream failed\","
            + "\"type\":\"upstream_unavailable\",\"param\":null,\"code\":\"502\"}}").getBytes(StandardCharsets.UTF_8);

    private NettyProbe() {
    }

    static void start(int port, URI upstream, KnownTokens tokens, int eventLoops) throws Exception {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        Class<? extends Channel> clientChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(eventLoops, io);
        String host = upstream.getHost();
        int upstreamPort = upstream.getPort() < 0 ? 80 : upstream.getPort();
        String hostHeader = host + ":" + upstreamPort;
        Upstreams upstreams = new Upstreams(clientChannel, host, upstreamPort);

        Channel listening = new ServerBootstrap()
                .group(group)
                .channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(4096, 32 * 1024, 8192),
                                new HttpObjectAggregator(MAX_BODY),
                                new Frontend(tokens, upstreams, hostHeader));
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        System.out.println("netty probe on 127.0.0.1:" + port + " -> " + upstream + " (" + (epoll ? "epoll" : "nio")
                + ", " + eventLoops + " event loop" + (eventLoops == 1 ? "" : "s") + ")");
        listening.closeFuture().sync();
    }

    /** Idle kept-alive upstream channels, one pool per event loop: each is only touched from its own loop. */
    private static final class Upstreams {

        private final Class<? extends Channel> channelType;
        private final String host;
        private final int port;
        private final io.netty.util.concurrent.FastThreadLocal<ArrayDeque<Channel>> idle =
                new io.netty.util.concurrent.FastThreadLocal<>() {
                    @Override
                    protected ArrayDeque<Channel> initialValue() {
                        return new ArrayDeque<>();
                    }
                };

        Upstreams(Class<? extends Channel> channelType, String host, int port) {
            this.channelType = channelType;
            this.host = host;
            this.port = port;
        }

        /** Sends the request on an idle channel of this loop, or on a new one; the answer goes to {@code caller}. */
        void send(EventLoop loop, FullHttpRequest request, Channel caller, boolean keepAlive) {
            ArrayDeque<Channel> pool = idle.get();
            Channel channel;
            while ((channel = pool.pollLast()) != null) {
                if (channel.isActive()) {
                    channel.pipeline().get(Backend.class).serve(caller, keepAlive);
                    channel.writeAndFlush(request, channel.voidPromise());
                    return;
                }
            }
            Backend backend = new Backend(this);
            backend.serve(caller, keepAlive);
            new Bootstrap().group(loop).channel(channelType)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), backend);
                        }
                    })
                    .connect(host, port).addListener((ChannelFutureListener) connected -> {
                        if (connected.isSuccess()) {
                            connected.channel().writeAndFlush(request, connected.channel().voidPromise());
                        } else {
                            ReferenceCountUtil.release(request);
                            backend.fail();
                        }
                    });
        }

        void release(Channel channel) {
            idle.get().addLast(channel);
        }
    }

    /** The caller's connection: one request at a time (reads pause while it is upstream). */
    private static final class Frontend extends ChannelInboundHandlerAdapter {

        private final KnownTokens tokens;
        private final Upstreams upstreams;
        private final String hostHeader;

        Frontend(KnownTokens tokens, Upstreams upstreams, String hostHeader) {
            this.tokens = tokens;
            this.upstreams = upstreams;
            this.hostHeader = hostHeader;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                request.release();
                answer(ctx.channel(), HttpResponseStatus.BAD_REQUEST, BAD_REQUEST, false);
                return;
            }
            HttpHeaders headers = request.headers();
            if (!tokens.admits(headers.get(HttpHeaderNames.AUTHORIZATION))) {
                request.release();
                answer(ctx.channel(), HttpResponseStatus.UNAUTHORIZED, UNAUTHORIZED, keepAlive);
                return;
            }
            // The same headers as the Jetty probe leaves out: hop-by-hop and the caller's credential.
            headers.remove(HttpHeaderNames.AUTHORIZATION)
                    .remove(HttpHeaderNames.CONNECTION)
                    .remove(HttpHeaderNames.KEEP_ALIVE)
                    .remove(HttpHeaderNames.PROXY_AUTHORIZATION)
                    .remove(HttpHeaderNames.TE)
                    .remove(HttpHeaderNames.TRAILER)
                    .remove(HttpHeaderNames.UPGRADE)
                    .remove(HttpHeaderNames.EXPECT)
                    .set(HttpHeaderNames.HOST, hostHeader)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
            ctx.channel().config().setAutoRead(false);
            upstreams.send(ctx.channel().eventLoop(), request, ctx.channel(), keepAlive);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One kept-alive upstream connection: copies each answer to the caller it is serving. */
    private static final class Backend extends ChannelInboundHandlerAdapter {

        private final Upstreams upstreams;
        private Channel caller;
        private boolean callerKeepAlive;
        private boolean upstreamKeepAlive;

        Backend(Upstreams upstreams) {
            this.upstreams = upstreams;
        }

        void serve(Channel caller, boolean keepAlive) {
            this.caller = caller;
            this.callerKeepAlive = keepAlive;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel to = caller;
            if (to == null) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpResponse response) {
                upstreamKeepAlive = HttpUtil.isKeepAlive(response);
                HttpHeaders headers = response.headers();
                headers.remove(HttpHeaderNames.CONNECTION)
                        .remove(HttpHeaderNames.KEEP_ALIVE)
                        .remove(HttpHeaderNames.PROXY_AUTHENTICATE)
                        .remove(HttpHeaderNames.TE)
                        .remove(HttpHeaderNames.TRAILER)
                        .remove(HttpHeaderNames.UPGRADE)
                        .remove(HttpHeaderNames.DATE);
                if (!callerKeepAlive) {
                    headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
            }
            if (msg instanceof LastHttpContent) {
                caller = null;
                boolean keepCaller = callerKeepAlive;
                to.writeAndFlush(msg).addListener((ChannelFutureListener) written -> {
                    if (!written.isSuccess() || !keepCaller) {
                        written.channel().close();
                    } else {
                        written.channel().config().setAutoRead(true);
                    }
                });
                if (upstreamKeepAlive) {
                    upstreams.release(ctx.channel());
                } else {
                    ctx.close();
                }
            } else if (msg instanceof HttpContent && ((HttpContent) msg).content().isReadable()) {
                // A streamed chunk (server-sent events) goes out as it comes.
                to.writeAndFlush(msg, to.voidPromise());
            } else {
                to.write(msg, to.voidPromise());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** The upstream went away mid-answer or never came: 502 if nothing was sent yet, else the caller closes. */
        void fail() {
            Channel to = caller;
            caller = null;
            if (to != null) {
                answer(to, HttpResponseStatus.BAD_GATEWAY, BAD_GATEWAY, false);
            }
        }
    }

    private static void answer(Channel channel, HttpResponseStatus status, byte[] json, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        channel.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (!keepAlive || !written.isSuccess()) {
                written.channel().close();
            } else {
                written.channel().config().setAutoRead(true);
            }
        });
    }
}
