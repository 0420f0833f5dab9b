package io.claimgate.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.claimgate.gateway.http.IdentityHeaders;
import io.claimgate.gateway.http.JsonResponses;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * A DEMO upstream, not an LLM: an OpenAI-compatible {@code /chat/completions} (streamed or not) that answers with who
 * the gateway said was calling, so that the local stack can be tried without an API key. Never deploy it.
 */
public final class DemoUpstream implements AutoCloseable {

    private final HttpServer server;

    public DemoUpstream(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "demo-upstream");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
    }

    public DemoUpstream start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/chat/completions") && "POST".equals(exchange.getRequestMethod())) {
                chat(exchange);
            } else if (path.equals("/v1/messages") && "POST".equals(exchange.getRequestMethod())) {
                messages(exchange);
            } else if (path.endsWith("/health/liveliness")) {
                json(exchange, 200, "I'm alive!");
            } else {
                json(exchange, 404, JsonResponses.errorBody("The demo upstream only serves /chat/completions and "
                                + "/v1/messages",
                        "not_found_error", null, "404"));
            }
        }
    }

    private void chat(HttpExchange exchange) throws IOException {
        JsonNode request = readRequest(exchange);
        if (request == null) {
            return;
        }
        String model = request.path("model").asText("demo");
        String reply = reply(exchange, model);
        if (request.path("stream").asBoolean(false)) {
            stream(exchange, model, reply);
        } else {
            Map<String, Object> message = Map.of("role", "assistant", "content", reply);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", "chatcmpl-demo");
            body.put("object", "chat.completion");
            body.put("created", System.currentTimeMillis() / 1000);
            body.put("model", model);
            body.put("choices", List.of(Map.of("index", 0, "message", message, "finish_reason", "stop")));
            body.put("usage", Map.of("prompt_tokens", 0, "completion_tokens", 0, "total_tokens", 0));
            json(exchange, 200, body);
        }
    }

    /** Anthropic's Messages API shape, for clients such as Claude Code that speak it. */
    private void messages(HttpExchange exchange) throws IOException {
        JsonNode request = readRequest(exchange);
        if (request == null) {
            return;
        }
        String model = request.path("model").asText("demo");
        String reply = reply(exchange, model);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "msg_demo");
        body.put("type", "message");
        body.put("role", "assistant");
        body.put("model", model);
        body.put("content", List.of(Map.of("type", "text", "text", reply)));
        body.put("stop_reason", "end_turn");
        body.put("usage", Map.of("input_tokens", 0, "output_tokens", 0));
        json(exchange, 200, body);
    }

    /** The request's JSON, or {@code null} after answering 400 for a body that is not JSON. */
    private static JsonNode readRequest(HttpExchange exchange) throws IOException {
        try {
            return JsonResponses.JSON.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            json(exchange, 400, JsonResponses.errorBody("invalid JSON", "bad_request_error", null, "400"));
            return null;
        }
    }

    private static String reply(HttpExchange exchange, String model) {
        return "Hello from the Claimgate DEMO upstream (no LLM here). The gateway says you are "
                + describeCaller(exchange) + " and you asked for model " + model + ".";
    }

    private static String describeCaller(HttpExchange exchange) {
        List<String> parts = new ArrayList<>();
        for (String header : IdentityHeaders.ALL) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                parts.add(header.substring("X-Auth-Request-".length()).toLowerCase() + "=" + value);
            }
        }
        return parts.isEmpty() ? "nobody in particular" : String.join(", ", parts);
    }

    private static void stream(HttpExchange exchange, String model, String reply) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String word : reply.split(" ")) {
            Map<String, Object> chunk = Map.of("id", "chatcmpl-demo", "object", "chat.completion.chunk",
                    "model", model, "choices", List.of(Map.of("index", 0, "delta", Map.of("content", word + " "))));
            out.write(("data: " + JsonResponses.JSON.writeValueAsString(chunk) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            pause();
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Words arrive one by one, so streaming is visible in a terminal. */
    private static void pause() {
        try {
            Thread.sleep(40);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JsonResponses.JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** {@code demo-upstream --port 4001}. */
    @CommandLine.Command(name = "demo-upstream", mixinStandardHelpOptions = true,
            description = "Run a DEMO OpenAI-compatible upstream that echoes the caller's identity (not an LLM).")
    public static final class Command implements Callable<Integer> {

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "default: ${DEFAULT-VALUE}")
        String host;

        @Option(names = "--port", defaultValue = "4001", description = "default: ${DEFAULT-VALUE}")
        int port;

        @Override
        public Integer call() throws Exception {
            CountDownLatch stopped = new CountDownLatch(1);
            try (DemoUpstream upstream = new DemoUpstream(host, port).start()) {
                System.out.println("DEMO upstream on http://" + host + ":" + upstream.port() + " (not an LLM)");
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "shutdown"));
                stopped.await();
            }
            return 0;
        }
    }
}
