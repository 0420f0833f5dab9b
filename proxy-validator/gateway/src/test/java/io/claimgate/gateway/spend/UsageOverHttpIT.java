package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real upstream on loopback writes its answer in small flushed pieces, splitting events and numbers; the scanner
 * reads the usage from the network buffers as they arrive while the bytes pass on unchanged. (How the pieces arrive
 * depends on the network; every possible split is covered by {@code UsageScannerTest}.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UsageOverHttpIT {

    private static final String STREAM = """
            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hello"}}],"usage":null}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":1234,"completion_tokens":567,"total_tokens":1801}}

            data: [DONE]

            """;
    private static final String JSON = """
            {"id":"msg_1","type":"message","content":[{"type":"text","text":"Hi"}],
             "usage":{"input_tokens":321,"output_tokens":54}}""";

    private HttpServer upstream;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/stream", exchange -> writeInPieces(exchange, "text/event-stream", STREAM));
        upstream.createContext("/json", exchange -> writeInPieces(exchange, "application/json", JSON));
        upstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop(0);
    }

    @Test
    void readsTheUsageOfAStreamedAnswerFromTheBuffersAsTheyArrive() throws Exception {
        Scanned scanned = fetch("/stream");

        assertThat(scanned.scanner.usage()).contains(new Usage(1234, 567, 1801));
        assertThat(scanned.body()).isEqualTo(STREAM);
    }

    @Test
    void readsTheUsageOfAJsonAnswerFromTheBuffersAsTheyArrive() throws Exception {
        Scanned scanned = fetch("/json");

        assertThat(scanned.scanner.usage()).contains(new Usage(321, 54, 375));
        assertThat(scanned.body()).isEqualTo(JSON);
    }

    private Scanned fetch(String path) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + path);
        Scanned scanned = new Scanned();
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).build(), info -> {
            scanned.scanner = UsageScanner.forContentType(info.headers().firstValue("content-type").orElse(null));
            return HttpResponse.BodySubscribers.fromSubscriber(scanned);
        });
        assertThat(response.statusCode()).isEqualTo(200);
        return scanned;
    }

    /** The gateway's side: passes each buffer on (here: keeps it) after the scanner has seen it. */
    private static final class Scanned implements Flow.Subscriber<List<ByteBuffer>> {

        UsageScanner scanner;
        private final ByteArrayOutputStream passedOn = new ByteArrayOutputStream();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer buffer : items) {
                scanner.feed(buffer);
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                passedOn.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            throw new AssertionError(throwable);
        }

        @Override
        public void onComplete() {
            // The answer has ended: the usage is final.
        }

        String body() {
            return passedOn.toString(StandardCharsets.UTF_8);
        }
    }

    /** Seven-byte pieces, each flushed: events, keys and numbers split across network writes. */
    private static void writeInPieces(com.sun.net.httpserver.HttpExchange exchange, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < bytes.length; i += 7) {
                out.write(bytes, i, Math.min(7, bytes.length - i));
                out.flush();
            }
        }
    }
}
