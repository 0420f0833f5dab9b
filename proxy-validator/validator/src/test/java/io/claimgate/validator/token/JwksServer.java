package io.claimgate.validator.token;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 serving key documents, counting requests per path; can stop and come back. */
final class JwksServer implements AutoCloseable {

    private record Answer(int status, byte[] body, String location) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private volatile long delayMillis;
    private HttpServer server;
    private int port;

    private JwksServer() {
    }

    static JwksServer start() throws IOException {
        JwksServer s = new JwksServer();
        s.bind(0);
        return s;
    }

    private void bind(int requestedPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 0);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Answer answer = answers.getOrDefault(path, new Answer(404, new byte[0], null));
        if (answer.location() != null) {
            exchange.getResponseHeaders().add("Location", answer.location());
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    void json(String path, String body) {
        answers.put(path, new Answer(200, body.getBytes(StandardCharsets.UTF_8), null));
    }

    void status(String path, int status) {
        answers.put(path, new Answer(status, new byte[0], null));
    }

    void redirect(String path, String location) {
        answers.put(path, new Answer(302, new byte[0], location));
    }

    /** Answers every request this much later, to keep a fetch in flight. */
    void delay(long millis) {
        delayMillis = millis;
    }

    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    int port() {
        return port;
    }

    /** Stops answering: connections are refused. */
    void stop() {
        server.stop(0);
    }

    /** Comes back on the same port. */
    void restart() throws IOException {
        bind(port);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
