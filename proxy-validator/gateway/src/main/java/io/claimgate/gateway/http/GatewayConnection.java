package io.claimgate.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller's connection: HTTP/1.1 requests one at a time, each read only as far as its endpoint asks.
 *
 * <p>The channel reads nothing by itself (auto-read is off): it reads on only while the current state takes what comes
 * next, and what a read brought beyond that waits, decoded, in order. So a request's body is taken only once its
 * caller and route are known ({@link Exchange#readBody}), and a pipelined next request only after this one's answer
 * has been written. A request whose body was not read
 * in full ends the connection after its answer, with a lingering close: the output is shut, what the client still
 * sends is read into nothing for up to {@link #LINGER}, then the connection is closed, so a client in the middle of a
 * refused upload sees the answer instead of a TCP reset (closing a socket with unread bytes resets it).
 *
 * <p>What the decoder cannot parse, or any framing that two readers could take differently (a body with both
 * {@code Content-Length} and {@code Transfer-Encoding}, a transfer coding other than {@code chunked}, chunks in an
 * HTTP/1.0 request, no or two {@code Host} headers, an expectation other than {@code 100-continue}), and the methods
 * no LLM proxy serves ({@code TRACE}, {@code CONNECT}), are answered in LiteLLM's error shape and the connection
 * closed. An obsolete line folding is replaced by a space (RFC 9112, 5.2), so the folded line is part of the value the
 * upstream receives too, never a header of its own.
 */
final class GatewayConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConnection.class);

    /** How long a refused client may keep sending before the connection is closed under it. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private final Consumer<Exchange> endpoints;
    private ChannelHandlerContext ctx;
    /** The request being answered; {@code null} between requests. */
    private Exchange current;
    /** The current request declared no body; it is dispatched when its (empty) end has been read. */
    private boolean awaitingEnd;
    private boolean lingering;
    /** The answered request's unread body is being skipped before the next request. */
    private boolean skippingBody;
    /** Decoded messages not taken yet: a pipelined next request, or a body the endpoint has not asked for yet. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
    private boolean draining;

    /** @param endpoints answers each request, exactly once, from any thread */
    GatewayConnection(Consumer<Exchange> endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        context.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (lingering) {
            ReferenceCountUtil.release(msg);
            return;
        }
        pending.add(msg);
        drain();
    }

    /** A read has ended: read on if the current state takes what comes next and nothing is waiting. */
    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        readIfWanted();
        context.fireChannelReadComplete();
    }

    private void readIfWanted() {
        if (lingering || (pending.isEmpty() && takesNext())) {
            ctx.read();
        }
    }

    /** Hands over what has been decoded, as far as the current state takes it; the rest waits in order. */
    private void drain() {
        if (draining) {
            // Called back from within a message being handled: the loop below goes on with the new state.
            return;
        }
        draining = true;
        try {
            while (!lingering && !pending.isEmpty() && takes(pending.peek())) {
                Object msg = pending.poll();
                if (msg instanceof HttpRequest request) {
                    try {
                        request(request);
                    } finally {
                        ReferenceCountUtil.release(msg);
                    }
                } else if (msg instanceof HttpContent content) {
                    try {
                        content(content);
                    } finally {
                        content.release();
                    }
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
        } finally {
            draining = false;
        }
    }

    /** Whether the current state takes this message now. */
    private boolean takes(Object msg) {
        if (current == null) {
            return true;
        }
        // A next request waits until this one has been answered.
        return !(msg instanceof HttpRequest) && takesNext();
    }

    /** Whether the current state takes the next piece of the current request. */
    private boolean takesNext() {
        Exchange exchange = current;
        return exchange == null || awaitingEnd || skippingBody || exchange.readingBody();
    }

    private void request(HttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            refuseUnparsed(request, decoded.cause());
            return;
        }
        RequestTarget target;
        try {
            framing(request);
            target = RequestTarget.of(request.uri());
        } catch (HttpError e) {
            refuseUnparsed(request, e);
            return;
        }
        Exchange exchange = new Exchange(this, ctx.channel(), request, target, false);
        current = exchange;
        if (exchange.declaresBody()) {
            endpoints.accept(exchange);
        } else {
            // Answered once its (empty) end has been read, so that the connection is ready for the next request.
            awaitingEnd = true;
        }
    }

    private void content(HttpContent content) {
        Exchange exchange = current;
        if (exchange == null) {
            // What is left of a request already answered (its empty end): nothing more to do with it.
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (skippingBody) {
            if (content.decoderResult().isFailure()) {
                ctx.close();
            } else if (last) {
                skippingBody = false;
                current = null;
            }
            return;
        }
        if (awaitingEnd) {
            if (last) {
                awaitingEnd = false;
                exchange.ended();
                endpoints.accept(exchange);
            }
            return;
        }
        if (content.decoderResult().isFailure()) {
            exchange.bodyBroken();
            return;
        }
        exchange.bodyChunk(content.content(), last);
    }

    /** The current request's body is wanted now. Called on the event loop. */
    void readMore() {
        drain();
        readIfWanted();
    }

    /**
     * The exchange's answer has been written (or failed): read the next request, or end the connection.
     * Called on the event loop.
     */
    void answered(Exchange exchange, boolean close) {
        if (exchange != current) {
            return;
        }
        if (close) {
            if ((exchange.leavesBodyUnread() || exchange.unparsed()) && ctx.channel().isActive()) {
                linger();
            } else {
                ctx.close();
            }
            return;
        }
        if (exchange.leavesBodyUnread()) {
            // A small body of an answered request (Exchange#skippable): read to its end and dropped.
            skippingBody = true;
        } else {
            current = null;
        }
        drain();
        readIfWanted();
    }

    private void linger() {
        lingering = true;
        releasePending();
        if (ctx.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        }
        ctx.executor().schedule(() -> ctx.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
        ctx.read();
    }

    private void releasePending() {
        Object msg;
        while ((msg = pending.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        Exchange exchange = current;
        if (exchange != null) {
            exchange.writabilityChanged();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        releasePending();
        Exchange exchange = current;
        current = null;
        if (exchange != null) {
            exchange.callerGone();
        }
        context.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        // A connection idle for the read timeout with no request open is closed; an open request is bounded by the
        // body read limits and the upstream's read timeout instead.
        if (event instanceof IdleStateEvent && current == null) {
            context.close();
            return;
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("caller connection failed: {}", cause.toString());
        context.close();
    }

    /**
     * Refuses framing that another hop could read differently, before anything is read or decided.
     *
     * @throws HttpError 400 for both {@code Content-Length} and {@code Transfer-Encoding}, or a transfer coding
     *                   other than {@code chunked}; 417 for an expectation other than {@code 100-continue}
     */
    private static void framing(HttpRequest request) {
        if (request.method().equals(HttpMethod.TRACE) || request.method().equals(HttpMethod.CONNECT)) {
            // A TRACE would be echoed with the upstream credential the gateway adds (RFC 9110, 9.3.8); a CONNECT
            // asks for a tunnel. Neither is anything an LLM proxy serves.
            throw HttpError.badRequest(405, "method_not_allowed", request.method().name() + " is not served", null);
        }
        List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                // RFC 9112, 6.1: faulty framing; what follows it on the connection cannot be trusted.
                throw JsonResponses.badRequest("ambiguous_framing", "An HTTP/1.0 request may not carry "
                        + "Transfer-Encoding", null);
            }
            if (request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                throw JsonResponses.badRequest("ambiguous_framing", "A request may not carry both Content-Length "
                        + "and Transfer-Encoding", null);
            }
            if (codings.size() != 1 || !codings.get(0).trim().equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString())) {
                throw HttpError.badRequest(501, "unsupported_transfer_encoding", "Only the chunked transfer coding "
                        + "is accepted", null);
            }
        }
        int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1 || (hosts == 0 && request.protocolVersion().equals(HttpVersion.HTTP_1_1))) {
            // RFC 9112, 3.2: the gateway would pass one host on while a front proxy may have routed by another.
            throw JsonResponses.badRequest("invalid_host", "An HTTP/1.1 request must carry exactly one Host", null);
        }
        if (request.headers().getAll(HttpHeaderNames.CONTENT_LENGTH).size() > 1) {
            throw JsonResponses.badRequest("ambiguous_framing", "Content-Length is sent more than once", null);
        }
        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !expect.trim().toLowerCase(Locale.ROOT).equals("100-continue")) {
            throw HttpError.badRequest(417, "expectation_failed", "Only the 100-continue expectation is accepted",
                    null);
        }
    }

    /** Answers a request that cannot be taken as sent, and closes the connection after the answer. */
    private void refuseUnparsed(HttpRequest request, Throwable cause) {
        HttpError error;
        if (cause instanceof HttpError e) {
            error = e;
        } else if (cause instanceof TooLongHttpLineException) {
            error = HttpError.badRequest(414, "uri_too_long", "The request line is too long", null);
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            error = HttpError.badRequest(431, "headers_too_large", "The request headers are too large", null);
        } else {
            error = JsonResponses.badRequest("bad_request", "The request could not be parsed as HTTP/1.1", null);
        }
        LOG.debug("unparsable request refused: {} ({})", error.status(), error.reason());
        Exchange exchange = new Exchange(this, ctx.channel(), request, new RequestTarget("/", null), true);
        current = exchange;
        // Whatever was sent after this is not trusted as a next request.
        byte[] body = JsonResponses.bytes(JsonResponses.errorBody(error));
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        exchange.answer(error.status(), headers, body, Completion.NONE);
    }
}
