package io.claimgate.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client on a raw socket, for what a well-behaved HTTP client will not do: declare a body and not send it, stall an
 * upload, send malformed or ambiguous framing, pipeline requests, and watch whether the server closes the connection.
 */
public final class RawHttp implements AutoCloseable {

    /** An answer's status, headers (names in lower case) and body. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Connects to the gateway; reads give up after 20 s so that a hanging server fails a test, never hangs it. */
    public static RawHttp open(URI base) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(20_000);
        return new RawHttp(socket);
    }

    /**
     * Sends a request head declaring a body of {@code declaredLength} bytes, then only {@code sentBody}.
     *
     * @param token a bearer token, or {@code null} for none
     */
    public RawHttp sendStalled(String method, String pathAndQuery, String token, long declaredLength,
                               String sentBody) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nContent-Type: application/json\r\n")
                .append("Content-Length: ").append(declaredLength).append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        head.append("\r\n").append(sentBody);
        socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Writes bytes exactly as given (ISO-8859-1, one write): for requests no client library would send, such as
     * conflicting framing headers or several requests pipelined in one packet.
     */
    public RawHttp send(String raw) throws IOException {
        socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Reads one answer: status line, headers and its body, framed by {@code Content-Length}, by chunks, or (with
     * neither) by the server closing the connection.
     */
    public Answer answer() throws IOException {
        Answer head = head();
        if ("chunked".equalsIgnoreCase(head.headers().get("transfer-encoding"))) {
            return new Answer(head.status(), head.headers(), new String(chunkedBody(), StandardCharsets.UTF_8));
        }
        String declared = head.headers().get("content-length");
        if (declared == null && head.status() >= 200 && head.status() != 204 && head.status() != 304) {
            // Neither length nor chunks: the body ends where the server closes the connection (RFC 9112, 6.3).
            return new Answer(head.status(), head.headers(), new String(rest().getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8));
        }
        int length = declared == null ? 0 : Integer.parseInt(declared);
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("connection closed after " + body.length + " of " + length + " body bytes");
        }
        return new Answer(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8));
    }

    /** Reads an answer's status line and headers only, leaving its body to read: for a streamed answer. */
    public Answer head() throws IOException {
        String status = line();
        if (status == null) {
            throw new IOException("connection closed before an answer");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, "");
    }

    /** Reads until {@code text} has arrived and returns everything read, as raw text (framing included). */
    public String readUntil(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int c;
        while (!out.toString(StandardCharsets.ISO_8859_1).contains(text)) {
            if ((c = in.read()) < 0) {
                throw new IOException("connection closed before '" + text + "' arrived; got: " + out);
            }
            out.write(c);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Everything the server still sends until it closes the connection ({@code ""} when it sends nothing more). A
     * reset ends it too, keeping what arrived before it; a server that neither sends nor closes fails the read after
     * the socket's timeout.
     */
    public String rest() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            // The server dropped the connection with bytes of the client's unread: a close as well.
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closed the connection (end of stream) rather than wait for more of the request. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            // A reset is a close too: the server dropped the connection with the client's bytes unread.
            return true;
        }
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String size = line(); size != null; size = line()) {
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                // Trailers, if any, up to the empty line that ends the answer.
                String trailer;
                do {
                    trailer = line();
                } while (trailer != null && !trailer.isEmpty());
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(length);
            if (chunk.length < length) {
                throw new IOException("connection closed inside a chunk");
            }
            body.write(chunk);
            line();
        }
        throw new IOException("connection closed before the last chunk");
    }

    private String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String line = out.toString(StandardCharsets.ISO_8859_1);
                return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            }
            out.write(c);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
