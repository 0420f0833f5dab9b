package io.claimgate.gateway.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * One kept-alive connection to the upstream, serving one {@link UpstreamCall} at a time: sends its request, hands
 * it the answer piece by piece, and goes back to the pool when the answer ended and the upstream keeps the
 * connection open. Reads only when asked (auto-read is off), so a slow caller slows the upstream down instead of
 * filling memory.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private final UpstreamConnections connections;
    private ChannelHandlerContext ctx;
    private UpstreamCall call;
    private boolean keepAlive;
    /** A read was asked for and has not brought a whole message yet. */
    private boolean awaitingMessage;

    UpstreamHandler(UpstreamConnections connections) {
        this.connections = connections;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** Sends the call's request and starts reading its answer. */
    void send(UpstreamCall next, HttpRequest request) {
        this.call = next;
        this.keepAlive = false;
        ctx.writeAndFlush(request).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                fail(written.cause());
            }
        });
        read();
    }

    /** Reads the next piece of the answer (the caller has taken the last one). */
    void readMore() {
        read();
    }

    private void read() {
        awaitingMessage = true;
        ctx.read();
    }

    /** The transport read bytes that made no whole message yet (a long header section, a split chunk line). */
    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        UpstreamCall current = call;
        if (awaitingMessage && current != null && !current.paused()) {
            context.read();
        }
        context.fireChannelReadComplete();
    }

    /** Gives up the connection mid-call (the caller went away): it is closed, never reused. */
    void abandon() {
        call = null;
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        awaitingMessage = false;
        UpstreamCall current = call;
        if (current == null) {
            // Nothing was asked: an idle connection does not talk. It is not trusted with a next request.
            ReferenceCountUtil.release(msg);
            context.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                fail(response.decoderResult().cause());
                return;
            }
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // An interim answer (e.g. 100 Continue or 103 Early Hints): the final one follows.
                ReferenceCountUtil.release(msg);
                read();
                return;
            }
            keepAlive = HttpUtil.isKeepAlive(response);
            current.head(response);
        }
        if (!(msg instanceof HttpContent content)) {
            // The answer's head alone (not reference-counted): its body follows.
            read();
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            fail(content.decoderResult().cause());
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            call = null;
        }
        current.content(content, last);
        if (last) {
            if (keepAlive && context.channel().isActive()) {
                connections.release(context.channel());
            } else {
                context.close();
            }
        } else if (current.wantsMore()) {
            read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent) {
            UpstreamCall current = call;
            // Silence while the caller holds the answer back is the caller's doing, not the upstream's.
            if (current != null && !current.paused()) {
                fail(new TimeoutException("the upstream was silent for the read timeout"));
            }
            return;
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        fail(new ClosedChannelException());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        fail(cause);
    }

    private void fail(Throwable cause) {
        UpstreamCall current = call;
        call = null;
        ctx.close();
        if (current != null) {
            current.upstreamFailed(cause);
        }
    }
}
