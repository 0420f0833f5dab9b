package io.claimgate.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Date;

/**
 * One request on a caller's connection and its answer: what the endpoints read (method, headers, path, query, the
 * peer's address) and how they answer, in full ({@link #answer}) or streamed from the upstream ({@link #streamHead}).
 *
 * <p>An answer may be given from any thread: writes go through the channel, and the connection moves on (to the next
 * request, a close, or a lingering close when the body was left unread) on its event loop once the answer is written.
 * Exactly one answer is given per exchange.
 */
public final class Exchange {

    /** The largest unread body skipped after an answer to keep the connection (a forward-auth check's, say). */
    static final long MAX_SKIPPED_BODY = 64 * 1024;

    private final GatewayConnection connection;
    private final Channel channel;
    private final HttpRequest request;
    private final String rawPath;
    private final String rawQuery;
    private final boolean keepAlive;
    private final boolean declaresBody;
    /** The request could not be taken as sent: its answer ends the connection. */
    private final boolean unparsed;
    private volatile int status;
    private volatile boolean committed;
    /** Set on the event loop when the request's last content has been read. */
    private volatile boolean requestEnded;
    // Event loop only.
    private BodySink sink;
    private Runnable onWritable;
    private Runnable onGone;
    private boolean gone;

    Exchange(GatewayConnection connection, Channel channel, HttpRequest request, RequestTarget target,
             boolean unparsed) {
        this.unparsed = unparsed;
        this.connection = connection;
        this.channel = channel;
        this.request = request;
        this.rawPath = target.rawPath();
        this.rawQuery = target.rawQuery();
        this.keepAlive = !unparsed && HttpUtil.isKeepAlive(request);
        this.declaresBody = !unparsed && (HttpUtil.isTransferEncodingChunked(request)
                || HttpUtil.getContentLength(request, 0L) > 0);
    }

    /** Takes the bytes of a request body as they arrive, on the event loop, until it stops reading the body. */
    interface BodySink {

        /**
         * @param data the bytes (released by the connection after this returns)
         * @param last whether the body ends here
         */
        void chunk(ByteBuf data, boolean last);

        /** The body could not be read (malformed chunking, the caller went away). */
        void broken();
    }

    public String method() {
        return request.method().name();
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    /** The request path as sent, still percent-encoded, without the query: what is forwarded. */
    public String rawPath() {
        return rawPath;
    }

    /** The query string as sent, or {@code null}. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The address of the peer that opened the connection (a front proxy, or the client itself). */
    public String peerAddress() {
        SocketAddress address = channel.remoteAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    /** Whether the request sends a body. */
    public boolean declaresBody() {
        return declaresBody;
    }

    /** Whether the request sends a body that has not been read in full: answering it closes the connection. */
    public boolean leavesBodyUnread() {
        return declaresBody && !requestEnded;
    }

    boolean unparsed() {
        return unparsed;
    }

    /**
     * Whether the unread body of an answered request is small enough to skip, keeping the connection: it is read by
     * its declared length through the decoder (never parsed as a request) and dropped. Larger or chunked bodies end
     * the connection instead, as does any refusal: nobody the gateway refused gets a byte of theirs read.
     */
    private boolean skippable() {
        return !HttpUtil.isTransferEncodingChunked(request)
                && HttpUtil.getContentLength(request, Long.MAX_VALUE) <= MAX_SKIPPED_BODY;
    }

    /** Whether the answer's status and headers have gone out. */
    public boolean isCommitted() {
        return committed;
    }

    /** The answer's status, or 0 before it is known. */
    public int status() {
        return status;
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /**
     * Answers in full: {@code Content-Length}, {@code Date}, and {@code Connection: close} when the connection ends
     * with this answer (the caller asked so, or the body was left unread).
     */
    public void answer(int status, HttpHeaders headers, byte[] body, Completion done) {
        this.status = status;
        this.committed = true;
        boolean close = unparsed || !keepAlive || (leavesBodyUnread() && (status >= 400 || !skippable()));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body),
                headers, EmptyHttpHeaders.INSTANCE);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.DATE, HttpDates.now());
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        channel.writeAndFlush(response).addListener((ChannelFutureListener) written -> finish(written.isSuccess(),
                written.cause(), close, done));
    }

    /** Whether the caller speaks HTTP/1.0 (no chunked answers). */
    boolean http10() {
        return request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    }

    /**
     * Sends the status and headers of a streamed answer (flushed with its first content).
     *
     * @param closeAfter whether the answer ends with the connection (it has no length the caller can read)
     */
    void streamHead(HttpResponse head, boolean closeAfter) {
        status = head.status().code();
        committed = true;
        HttpHeaders headers = head.headers();
        if (!headers.contains(HttpHeaderNames.DATE)) {
            headers.set(HttpHeaderNames.DATE, HttpDates.now());
        }
        if (closeAfter || !keepAlive || leavesBodyUnread()) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10()) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        channel.write(head, channel.voidPromise());
    }

    /** Sends a piece of a streamed answer as it came (an event of a stream goes out at once). */
    void streamContent(HttpContent content) {
        channel.writeAndFlush(content, channel.voidPromise());
    }

    /** Sends the end of a streamed answer; the connection then moves on. */
    void streamEnd(LastHttpContent last, boolean closeAfter, Completion done) {
        boolean close = closeAfter || !keepAlive || leavesBodyUnread();
        channel.writeAndFlush(last).addListener((ChannelFutureListener) written -> finish(written.isSuccess(),
                written.cause(), close, done));
    }

    /** Ends a streamed answer that cannot be completed: the caller sees the connection close mid-answer. */
    void abort() {
        channel.close();
    }

    /** Whether the caller is taking what is written as fast as it comes. */
    boolean writable() {
        return channel.isWritable();
    }

    /** Runs {@code action} (on the event loop) when the caller can take more again. */
    void onWritable(Runnable action) {
        onWritable = action;
    }

    /** Runs {@code action} (on the event loop) if the caller goes away before the answer is complete. */
    void onGone(Runnable action) {
        if (gone) {
            action.run();
        } else {
            onGone = action;
        }
    }

    /** Starts taking the body: sends {@code 100 Continue} if the caller waits for it, then reads. */
    void readBody(BodySink bodySink) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> readBody(bodySink));
            return;
        }
        if (gone) {
            bodySink.broken();
            return;
        }
        sink = bodySink;
        if (HttpUtil.is100ContinueExpected(request)) {
            channel.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE),
                    channel.voidPromise());
        }
        connection.readMore();
    }

    /** Stops handing body bytes to the sink (it has refused the body); the rest is left unread. */
    void stopReadingBody() {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(this::stopReadingBody);
            return;
        }
        sink = null;
    }

    // Called by the connection, on the event loop.

    /** Whether a sink is taking the body now. */
    boolean readingBody() {
        return sink != null;
    }

    /** Hands body bytes to the sink. */
    void bodyChunk(ByteBuf data, boolean last) {
        if (last) {
            requestEnded = true;
        }
        BodySink current = sink;
        if (current == null) {
            return;
        }
        if (last) {
            sink = null;
        }
        current.chunk(data, last);
    }

    void bodyBroken() {
        BodySink current = sink;
        sink = null;
        if (current != null) {
            current.broken();
        }
    }

    void ended() {
        requestEnded = true;
    }

    void writabilityChanged() {
        Runnable action = onWritable;
        if (action != null && channel.isWritable()) {
            action.run();
        }
    }

    void callerGone() {
        gone = true;
        bodyBroken();
        Runnable action = onGone;
        onGone = null;
        if (action != null) {
            action.run();
        }
    }

    private void finish(boolean success, Throwable cause, boolean close, Completion done) {
        onGone = null;
        onWritable = null;
        if (success) {
            done.succeeded();
        } else {
            done.failed(cause);
        }
        connection.answered(this, close || !success);
    }

    /** The {@code Date} header's value, formatted at most once a second. */
    static final class HttpDates {

        private record Stamp(long second, String value) {
        }

        private static volatile Stamp stamp = new Stamp(-1, "");

        private HttpDates() {
        }

        static String now() {
            long now = System.currentTimeMillis();
            Stamp current = stamp;
            if (current.second() != now / 1000) {
                current = new Stamp(now / 1000, DateFormatter.format(new Date(now)));
                stamp = current;
            }
            return current.value();
        }
    }
}
