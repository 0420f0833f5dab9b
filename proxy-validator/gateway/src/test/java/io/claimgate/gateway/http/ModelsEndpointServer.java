package io.claimgate.gateway.http;

import io.claimgate.validator.AuthException;
import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A {@link ModelsEndpoint} alone behind a real Jetty server on a free loopback port, answering refusals as the
 * gateway does ({@link JsonResponses#writeError}).
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
            public boolean handle(Request request, Response response, Callback callback) {
                try {
                    endpoint.handle(request, response, callback, RoutePath.of(request.getHttpURI().getPath()));
                } catch (AuthException e) {
                    JsonResponses.writeError(response, callback, e);
                }
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
