package io.claimgate.gateway.http;

import io.claimgate.gateway.spend.CostCalculator;
import io.claimgate.gateway.spend.MeteredAnswer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One request forwarded to the upstream and its answer copied back to the caller as it arrives: the head when it
 * comes, each piece of the body as it comes (server-sent events included: nothing is held back), with the caller's
 * pace setting the upstream's (the next piece is read only when the caller has taken the last).
 *
 * <p>Runs on the caller's event loop, where its upstream connection lives too. An idempotent request ({@code GET},
 * {@code HEAD}, {@code OPTIONS}, {@code PUT}, {@code DELETE}) on a reused connection that the upstream closed before
 * answering anything is sent once more on a new connection (the upstream most likely closed an idle connection as
 * the request went out); a {@code POST} is not, since the upstream may have acted on it, and a completion sent twice
 * is paid twice. Every other failure before the answer's head is the caller's 502 or 504; after it, the caller's
 * connection is closed mid-answer.
 */
final class UpstreamCall {

    private final UpstreamConnections connections;
    private final Exchange exchange;
    private final String target;
    private final HttpHeaders headers;
    private final byte[] body;
    private final MeteredAnswer answer;
    private final Completion done;
    private final Consumer<Throwable> refuse;
    private final ReverseProxy proxy;
    // Event loop only.
    private UpstreamHandler connection;
    private boolean reused;
    private boolean retried;
    private boolean responded;
    private boolean paused;
    private boolean over;
    /** The answer is delimited by the end of the connection. */
    private boolean closeAfter;

    /**
     * @param target  the request target sent upstream (path and query)
     * @param headers the headers sent upstream, {@code Host} and framing included
     * @param answer  the metered answer, or {@code null} without spend tracking
     * @param done    told when the answer has been copied in full, or broke off after its head
     * @param refuse  told of a failure before the answer's head, for the caller to answer
     */
    UpstreamCall(UpstreamConnections connections, Exchange exchange, String target, HttpHeaders headers, byte[] body,
                 MeteredAnswer answer, Completion done, Consumer<Throwable> refuse, ReverseProxy proxy) {
        this.connections = connections;
        this.exchange = exchange;
        this.target = target;
        this.headers = headers;
        this.body = body;
        this.answer = answer;
        this.done = done;
        this.refuse = refuse;
        this.proxy = proxy;
    }

    /** Takes a connection on the caller's event loop and sends the request. */
    void start() {
        connections.acquire(exchange.eventLoop(), this::sendOn, this::connectFailed);
    }

    private void sendOn(UpstreamHandler handler, boolean pooled) {
        if (over) {
            // The caller went away while the connection was being made.
            handler.abandon();
            return;
        }
        connection = handler;
        reused = pooled;
        exchange.onGone(this::callerGone);
        exchange.onWritable(this::resume);
        handler.send(this, request());
    }

    private HttpRequest request() {
        HttpMethod method = HttpMethod.valueOf(exchange.method());
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target,
                Unpooled.wrappedBuffer(body), headers, EmptyHttpHeaders.INSTANCE);
        if (body.length > 0 || exchange.declaresBody() || method.equals(HttpMethod.POST)
                || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.PATCH)) {
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        return request;
    }

    private void connectFailed(Throwable cause) {
        if (!over) {
            over = true;
            end();
            refuse.accept(proxy.upstreamFailure(cause));
        }
    }

    /** The answer's status and headers: copied without hop-by-hop headers, with the limits' headers added. */
    void head(HttpResponse response) {
        responded = true;
        HttpHeaders out = response.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        ReverseProxy.dropHopByHop(out, ReverseProxy.NOT_FROM_UPSTREAM);
        int status = response.status().code();
        boolean bodiless = exchange.method().equals("HEAD") || status == 204 || status == 304;
        boolean unframed = chunked || (!bodiless && !out.contains(HttpHeaderNames.CONTENT_LENGTH));
        if (unframed && exchange.http10()) {
            // An HTTP/1.0 client knows no chunks: the answer ends where the connection does.
            closeAfter = true;
        } else if (unframed) {
            // The answer's framing on this hop: the upstream's length when it gave one, else chunks.
            out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (answer != null) {
            answer.headers(out.get(HttpHeaderNames.CONTENT_TYPE), out.get(CostCalculator.RESPONSE_COST_HEADER));
            answer.permit().writeHeaders(RateLimitHeaderNames.into(out));
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        exchange.streamHead(response, closeAfter);
    }

    /** A piece of the answer, handed on as it came. */
    void content(HttpContent content, boolean last) {
        if (over) {
            content.release();
            return;
        }
        if (answer != null && content.content().isReadable()) {
            answer.feed(content.content().nioBuffer());
        }
        if (last) {
            over = true;
            exchange.streamEnd((LastHttpContent) content, closeAfter, Completion.of(() -> {
                end();
                done.succeeded();
            }, failure -> {
                end();
                done.failed(failure);
            }));
        } else {
            exchange.streamContent(content);
        }
    }

    /** Whether to read on now; if not, reading resumes when the caller can take more. */
    boolean wantsMore() {
        paused = !exchange.writable();
        return !paused;
    }

    /** Whether the caller is holding the answer back (the upstream's silence then is not a timeout). */
    boolean paused() {
        return paused;
    }

    private void resume() {
        if (paused && !over) {
            paused = false;
            connection.readMore();
        }
    }

    /** The upstream failed or went silent; the connection is already closed. */
    void upstreamFailed(Throwable cause) {
        if (over) {
            return;
        }
        if (!responded && reused && !retried && idempotent()
                && !(cause instanceof TimeoutException)) {
            // Closed under a request it never read: the same request once more, on a new connection.
            retried = true;
            connection = null;
            connections.connect(exchange.eventLoop(), this::sendOn, this::connectFailed);
            return;
        }
        over = true;
        if (responded) {
            exchange.abort();
            end();
            done.failed(cause);
        } else {
            end();
            refuse.accept(proxy.upstreamFailure(cause));
        }
    }

    private boolean idempotent() {
        return switch (exchange.method()) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE" -> true;
            default -> false;
        };
    }

    private void callerGone() {
        if (over) {
            return;
        }
        over = true;
        if (connection != null) {
            connection.abandon();
        }
        end();
        done.failed(new ClosedChannelException());
    }

    /** Ends the metered answer with the status the caller got (0 when the upstream never answered). */
    private void end() {
        if (answer != null) {
            proxy.end(answer, responded ? exchange.status() : 0);
        }
    }
}
