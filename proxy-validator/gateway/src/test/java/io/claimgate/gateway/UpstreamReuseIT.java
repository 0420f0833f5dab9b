package io.claimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.management.ObjectChangeListener;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.support.RawHttp;
import io.claimgate.gateway.support.StubAuthenticator;
import io.claimgate.gateway.support.TestDatabase;
import io.claimgate.model.JwtAuthSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the gateway does when the upstream closes a kept-alive connection just as the next request goes out on it, as
 * uvicorn does with an idle connection: an idempotent request is sent once more on a new connection, a {@code POST}
 * never is (the upstream may have acted on it, and a completion sent twice is paid twice).
 */
class UpstreamReuseIT {

    private static final String MASTER_KEY = "sk-master-1234";
    private static final String CRLF = "\r\n";

    private static TestDatabase database;
    private static ClosingUpstream upstream;
    private static GatewayServer gateway;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        upstream = new ClosingUpstream();
        GatewaySettings settings = GatewaySettings.defaults().withListener("127.0.0.1", 0)
                .withUpstream(upstream.uri(), null);
        GatewayConfig config = new GatewayConfig(true, JwtAuthSettings.defaults(), MASTER_KEY, null,
                List.of("gpt-4o"), settings, List.of());
        gateway = new GatewayServer(config, new StubAuthenticator(), database.dataSource(),
                ObjectChangeListener.NONE, List.of(), new GatewayMetrics()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        upstream.close();
        database.close();
    }

    @BeforeEach
    void reset() {
        upstream.seen.clear();
    }

    @Test
    void sendsAnIdempotentRequestOnceMoreOnANewConnectionWhenTheReusedOneClosesUnanswered() throws Exception {
        try (RawHttp client = RawHttp.open(gateway.uri())) {
            // given a first request, answered on a connection the gateway then keeps for the next one
            assertThat(client.send(request("GET", "/v1/files/first")).answer().status()).isEqualTo(200);

            // when the upstream closes that connection on reading the next request, without answering it
            RawHttp.Answer second = client.send(request("GET", "/v1/files/second")).answer();

            // then the gateway sent it once more on a new connection, and the caller got that answer
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("{\"path\":\"/v1/files/second\"}");
        }
        assertThat(upstream.seen).containsExactly("GET /v1/files/first (1st on its connection)",
                "GET /v1/files/second (2nd on its connection, closed unanswered)",
                "GET /v1/files/second (1st on its connection)");
    }

    @Test
    void neverSendsAPostTwiceAndAnswers502WhenTheReusedConnectionClosesUnanswered() throws Exception {
        try (RawHttp client = RawHttp.open(gateway.uri())) {
            assertThat(client.send(request("POST", "/v1/chat/completions")).answer().status()).isEqualTo(200);

            RawHttp.Answer second = client.send(request("POST", "/v1/embeddings")).answer();

            assertThat(second.status()).isEqualTo(502);
            assertThat(new ObjectMapper().readTree(second.body()).get("error").get("code").asText())
                    .isEqualTo("502");
        }
        assertThat(upstream.seen).containsExactly("POST /v1/chat/completions (1st on its connection)",
                "POST /v1/embeddings (2nd on its connection, closed unanswered)");
    }

    private static String request(String method, String path) {
        String body = method.equals("POST") ? "{\"model\":\"gpt-4o\"}" : "";
        return method + " " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + "Authorization: Bearer "
                + MASTER_KEY + CRLF + (body.isEmpty() ? "" : "Content-Type: application/json" + CRLF
                + "Content-Length: " + body.length() + CRLF) + CRLF + body;
    }

    /**
     * An upstream on a raw socket that answers the first request of each connection with keep-alive, and closes the
     * connection on reading a second one, without answering it.
     */
    private static final class ClosingUpstream implements AutoCloseable {

        final List<String> seen = new CopyOnWriteArrayList<>();
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        ClosingUpstream() throws IOException {
            Thread accepting = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket connection = listener.accept();
                        Thread serving = new Thread(() -> serve(connection), "closing-upstream");
                        serving.setDaemon(true);
                        serving.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "closing-upstream-accept");
            accepting.setDaemon(true);
            accepting.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + listener.getLocalPort());
        }

        private void serve(Socket connection) {
            try (connection; InputStream in = connection.getInputStream();
                 OutputStream out = connection.getOutputStream()) {
                String first = readRequest(in);
                if (first == null) {
                    return;
                }
                seen.add(first + " (1st on its connection)");
                String path = first.substring(first.indexOf(' ') + 1);
                byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK" + CRLF + "Content-Type: application/json" + CRLF + "Content-Length: "
                        + body.length + CRLF + CRLF).getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                String second = readRequest(in);
                if (second != null) {
                    seen.add(second + " (2nd on its connection, closed unanswered)");
                }
            } catch (IOException gone) {
                // The gateway closed the connection: nothing more to serve on it.
            }
        }

        /** The request's method and path, its headers and body read; {@code null} at the end of the stream. */
        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    break;
                }
            }
            if (b < 0) {
                return null;
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            long length = 0;
            for (String line : lines) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring("content-length:".length()).trim());
                }
            }
            in.readNBytes((int) length);
            String[] requestLine = lines[0].split(" ");
            return requestLine[0] + " " + requestLine[1];
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
