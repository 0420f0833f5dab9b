package io.claimgate.gateway.spend;

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

/**
 * An upstream that answers as OpenAI, Anthropic or a LiteLLM proxy do, with known usage, so that tests can tell what
 * the gateway read from the answer.
 *
 * <ul>
 *   <li>{@code /v1/chat/completions}: JSON with usage 10/5/15; streamed ({@code "stream":true}) as SSE, with a final
 *       usage chunk 11/7/18 only when the request asked for it ({@code include_usage}); a body containing
 *       {@code "hold"} is held until {@link #release()} (with {@code "hold_stream"}, a stream after its first
 *       chunk); a body containing {@code "fail"} gets a 500</li>
 *   <li>{@code /v1/messages}: Anthropic's JSON, usage input 20, output 4</li>
 *   <li>{@code /v1/embeddings}: an answer without usage</li>
 *   <li>a request with {@code x-test-cost: N} gets {@code x-litellm-response-cost: N}, as a LiteLLM proxy sends it</li>
 * </ul>
 */
final class ScriptedUpstream implements AutoCloseable {

    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> callIds = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile CountDownLatch held = new CountDownLatch(1);
    private volatile CountDownLatch holding = new CountDownLatch(1);

    ScriptedUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Waits until a held request has arrived. */
    boolean awaitHolding() throws InterruptedException {
        return holding.await(10, TimeUnit.SECONDS);
    }

    /** Lets a held request be answered, and holds the next one again. */
    void release() {
        CountDownLatch latch = held;
        held = new CountDownLatch(1);
        holding = new CountDownLatch(1);
        latch.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        bodies.add(body);
        String callId = exchange.getRequestHeaders().getFirst("x-litellm-call-id");
        if (callId != null) {
            callIds.add(callId);
        }
        String cost = exchange.getRequestHeaders().getFirst("x-test-cost");
        if (cost != null) {
            exchange.getResponseHeaders().add("x-litellm-response-cost", cost);
        }
        String path = exchange.getRequestURI().getPath();
        if (body.contains("\"hold\"")) {
            holding.countDown();
            try {
                held.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (body.contains("\"fail\"")) {
            json(exchange, 500, "{\"error\":{\"message\":\"provider failed\",\"type\":\"api_error\",\"param\":null,"
                    + "\"code\":\"500\"}}");
            return;
        }
        switch (path) {
            case "/v1/messages" -> json(exchange, 200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":20,"
                    + "\"output_tokens\":4}}");
            case "/v1/embeddings" -> json(exchange, 200, "{\"object\":\"list\",\"data\":[]}");
            default -> {
                if (body.replace(" ", "").contains("\"stream\":true")) {
                    stream(exchange, body.replace(" ", "").contains("\"include_usage\":true"),
                            body.contains("\"hold_stream\""));
                } else {
                    json(exchange, 200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[],"
                            + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}");
                }
            }
        }
    }

    private void stream(HttpExchange exchange, boolean withUsage, boolean hold) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("data: {\"choices\":[{\"delta\":{\"content\":\"hel\"}}]}\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (hold) {
                holding.countDown();
                try {
                    held.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // The usage event split across two writes, as the network may split it.
            if (withUsage) {
                out.write("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":11,".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("\"completion_tokens\":7,\"total_tokens\":18}}\n\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        held.countDown();
        server.stop(0);
    }
}
