package io.claimgate.benchmarks.stack;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Jetty floor Claimgate's gateway sat on before its edge moved to Netty: Jetty 12 server and HttpClient set up
 * exactly as GatewayServer and ReverseProxy set them up then (one QueuedThreadPool(64, 4) without reserved threads for
 * both legs, no header cache, a non-blocking handler run on the selector thread, a NON_BLOCKING client transport with
 * one selector, no content decoders), doing only the work both probes share.
 */
final class JettyProbe {

    /** The gateway's lists of what is not forwarded (ReverseProxy), plus the caller's credential. */
    private static final Set<String> NOT_UPSTREAM = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "authorization");
    private static final Set<String> NOT_FROM_UPSTREAM = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "date");
    private static final int MAX_BODY = 1024 * 1024;
    private static final ByteBuffer UNAUTHORIZED = ByteBuffer.wrap(("{\"error\":{\"message\":\"unknown token\","
            + "\"type\":\"auth_error\",\"param\":null,\"code\":\"401\"}}").getBytes(StandardCharsets.UTF_8));

    private JettyProbe() {
    }

    static void start(int port, URI upstream, KnownTokens tokens) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setReservedThreads(0);
        threads.setName("probe");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setHeaderCacheSize(0);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(32 * 1024);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        ClientConnector clientConnector = new ClientConnector();
        clientConnector.setSelectors(1);
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(clientConnector);
        transport.setInvocationType(InvocationType.NON_BLOCKING);
        HttpClient client = new HttpClient(transport);
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setMaxConnectionsPerDestination(512);
        client.getContentDecoderFactories().clear();
        client.start();

        String base = upstream.toString().replaceAll("/+$", "");
        server.setHandler(new Forwarding(client, base, tokens));
        server.start();
        System.out.println("jetty probe on 127.0.0.1:" + port + " -> " + base);
        server.join();
    }

    /** Runs on the selector thread that parsed the request, as GatewayHandler does. */
    private static final class Forwarding extends Handler.Abstract {

        private final HttpClient client;
        private final String base;
        private final KnownTokens tokens;

        Forwarding(HttpClient client, String base, KnownTokens tokens) {
            super(InvocationType.NON_BLOCKING);
            this.client = client;
            this.base = base;
            this.tokens = tokens;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!tokens.admits(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                response.setStatus(401);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, UNAUTHORIZED.slice(), callback);
                return true;
            }
            Content.Source.asByteArrayAsync(request, MAX_BODY, Promise.Invocable.from(InvocationType.NON_BLOCKING,
                    body -> forward(request, body, response, callback),
                    failure -> Response.writeError(request, response, callback, 400, "body not read")));
            return true;
        }

        private void forward(Request request, byte[] body, Response response, Callback callback) {
            String query = request.getHttpURI().getQuery();
            org.eclipse.jetty.client.Request upstream = client
                    .newRequest(base + request.getHttpURI().getPath() + (query == null ? "" : "?" + query))
                    .method(request.getMethod())
                    .headers(out -> {
                        for (HttpField field : request.getHeaders()) {
                            if (!NOT_UPSTREAM.contains(field.getLowerCaseName())) {
                                out.add(field);
                            }
                        }
                    });
            if (body.length > 0) {
                upstream.body(new BytesRequestContent(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body));
            }
            AtomicBoolean streaming = new AtomicBoolean();
            upstream.onResponseHeaders(answer -> {
                        response.setStatus(answer.getStatus());
                        HttpFields.Mutable out = response.getHeaders();
                        for (HttpField field : answer.getHeaders()) {
                            if (!NOT_FROM_UPSTREAM.contains(field.getLowerCaseName())) {
                                out.add(field.getName(), field.getValue());
                            }
                        }
                    })
                    .onResponseContentSource((answer, source) -> {
                        streaming.set(true);
                        Content.copy(source, response, Callback.from(callback::succeeded, failure -> {
                            upstream.abort(failure);
                            callback.failed(failure);
                        }));
                    })
                    .send(result -> {
                        if (streaming.get()) {
                            return;
                        }
                        if (result.isSucceeded()) {
                            response.write(true, null, callback);
                        } else if (response.isCommitted()) {
                            callback.failed(result.getFailure());
                        } else {
                            Response.writeError(request, response, callback, 502, "upstream failed");
                        }
                    });
        }
    }
}
