package io.claimgate.gateway.http;

import io.claimgate.validator.AuthException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A {@link ModelsEndpoint} alone behind a real HTTP server on a free loopback port, answering its list and its
 * refusals as JSON, as the gateway does ({@link JsonResponses#errorBody}).
 */
final class ModelsEndpointServer implements AutoCloseable {

    private final Server server;
    private final URI uri;

    private ModelsEndpointServer(Server server, URI uri) {
        this.server = server;
        this.uri = uri;
    }

    static ModelsEndpointServer start(ModelsEndpoint endpoint) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                HttpHeaders headers = new DefaultHttpHeaders();
                for (HttpField field : request.getHeaders()) {
                    headers.add(field.getName(), field.getValue());
                }
                Object body;
                try {
                    body = endpoint.list(headers, RoutePath.of(request.getHttpURI().getPath()));
                    response.setStatus(200);
                } catch (AuthException e) {
                    body = JsonResponses.errorBody(e);
                    response.setStatus(e.status());
                }
                response.getHeaders().put("Content-Type", "application/json");
                response.write(true, ByteBuffer.wrap(JsonResponses.JSON.writeValueAsBytes(body)), callback);
                return true;
            }
        });
        server.start();
        return new ModelsEndpointServer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    }

    URI uri() {
        return uri;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
