package io.claimgate.benchmarks.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The streaming upstream of the time-to-first-byte bar: answers any POST with {@code text/event-stream}, the first
 * event written and flushed at once, then {@value #LATER_EVENTS} more events {@value #GAP_MILLIS} ms apart and
 * {@code [DONE]}. The gateway's demo upstream pauses 40 ms per word (a second per answer), far too slow for 200
 * sequential requests; this one answers in about 15 ms, and the gap still shows whether a proxy waits for more than
 * the first event before sending anything.
 *
 * <p>{@code java -cp benchmarks.jar io.claimgate.benchmarks.gateway.SseUpstream PORT}
 */
public final class SseUpstream {

    static final int LATER_EVENTS = 3;
    static final int GAP_MILLIS = 5;

    private static final byte[] FIRST = event("first");

    private SseUpstream() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        // Without TCP_NODELAY, Nagle holds each small event until the previous one is acknowledged, and delayed ACKs
        // stretch the 5 ms gaps to ~40 ms: the stream would measure the kernel, not the proxy in front of it.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", SseUpstream::answer);
        server.start();
        System.out.println("SSE upstream on http://127.0.0.1:" + port);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            // Read the request fully first, as an LLM API does, so the first byte measures the proxy, not the read.
            body.readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().add("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(FIRST);
            out.flush();
            for (int i = 0; i < LATER_EVENTS; i++) {
                pause();
                out.write(event("later-" + i));
                out.flush();
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private static byte[] event(String content) {
        return ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"}}]}\n\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void pause() {
        try {
            Thread.sleep(GAP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
