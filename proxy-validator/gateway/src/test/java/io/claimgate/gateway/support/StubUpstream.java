package io.claimgate.gateway.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP upstream on 127.0.0.1 that records what reached it. A body containing {@code "stream": true} is answered
 * with server-sent events: the first event, then nothing until the test calls {@link #releaseStream()}, so a test can
 * prove the first event crossed the gateway while the upstream was still answering.
 */
public final class StubUpstream implements AutoCloseable {

    /** What the upstream received last. */
    public record Received(String method, String pathAndQuery, Headers headers, String body) {
    }

    private final HttpServer server;
    private final AtomicReference<Received> last = new AtomicReference<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch streamRelease = new CountDownLatch(1);
    private final AtomicBoolean streamFinished = new AtomicBoolean();

    public StubUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stub-upstream");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public Received last() {
        return last.get();
    }

    /** Every request that reached the upstream, in order of arrival. */
    public List<Received> received() {
        return received;
    }

    /** Whether any request reached the upstream on a path starting with this (path and query as sent). */
    public boolean saw(String pathAndQueryPrefix) {
        return received.stream().anyMatch(r -> r.pathAndQuery().startsWith(pathAndQueryPrefix));
    }

    public void releaseStream() {
        streamRelease.countDown();
    }

    public boolean streamFinished() {
        return streamFinished.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        Received request = new Received(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query),
                exchange.getRequestHeaders(), body);
        received.add(request);
        last.set(request);
        if (body.replace(" ", "").contains("\"stream\":true")) {
            stream(exchange);
            return;
        }
        byte[] answer = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Upstream", "stub");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("data: {\"choices\":[{\"delta\":{\"content\":\"first\"}}]}\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // Bounded, so a gateway that buffers fails the test instead of hanging it.
            boolean released = streamRelease.await(30, TimeUnit.SECONDS);
            streamFinished.set(true);
            out.write(("data: {\"choices\":[{\"delta\":{\"content\":\"" + (released ? "second" : "late")
                    + "\"}}]}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
