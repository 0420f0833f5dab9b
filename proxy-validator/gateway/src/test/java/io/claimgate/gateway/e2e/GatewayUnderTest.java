package io.claimgate.gateway.e2e;

import io.claimgate.gateway.GatewayServer;
import io.claimgate.gateway.JwtGatewayComponents;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewayConfigReader;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.support.Http;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One real gateway as {@code serve} runs it: the local stack's {@code docker/gateway/config.yaml} read by
 * {@link GatewayConfigReader} with the environment pointing at the suite's Keycloak and DEMO upstream,
 * {@link JwtGatewayComponents} (JWKS from Keycloak, PostgreSQL, caches) and {@link GatewayServer} on a free port.
 *
 * <p>The database is the embedded default in a fresh directory, or an external one when a {@code DATABASE_URL} is
 * given. {@link #close()} stops the server, then the components (pool, embedded PostgreSQL).
 */
final class GatewayUnderTest implements AutoCloseable {

    static final String MASTER_KEY = "sk-e2e-master-key";

    private final JwtGatewayComponents components;
    private final GatewayServer server;
    private final Http http;

    private GatewayUnderTest(JwtGatewayComponents components, GatewayServer server) {
        this.components = components;
        this.server = server;
        this.http = new Http(server.uri());
    }

    /** A gateway with the embedded PostgreSQL in a fresh directory. */
    static GatewayUnderTest start(SuiteServices suite) {
        return start(suite, null);
    }

    /**
     * A gateway over the suite's Keycloak and upstream.
     *
     * @param databaseUrl LiteLLM's {@code DATABASE_URL}, or null for the embedded default
     */
    static GatewayUnderTest start(SuiteServices suite, String databaseUrl) {
        return start(suite, databaseUrl, Paths.get(SuiteServices.property("claimgate.gateway.config")), Map.of());
    }

    /**
     * A gateway over the suite's Keycloak and upstream, on the embedded database, from another config file; the
     * extra variables are added to the environment its {@code os.environ/} references read.
     */
    static GatewayUnderTest start(SuiteServices suite, Path configFile, Map<String, String> moreEnvironment) {
        return start(suite, null, configFile, moreEnvironment);
    }

    private static GatewayUnderTest start(SuiteServices suite, String databaseUrl, Path configFile,
                                          Map<String, String> moreEnvironment) {
        Map<String, String> environment = new HashMap<>();
        environment.put("KEYCLOAK_JWKS_URL", suite.keycloak().jwksUrl(SuiteServices.REALM));
        environment.put("KEYCLOAK_ISSUER", suite.keycloak().issuer(SuiteServices.REALM));
        environment.put("LITELLM_MASTER_KEY", MASTER_KEY);
        environment.put("GATEWAY_HOST", "127.0.0.1");
        environment.put("GATEWAY_UPSTREAM", suite.upstream().toString());
        environment.put("GATEWAY_DATA_DIR", suite.newDirectory("gateway-data").toString());
        if (databaseUrl != null) {
            environment.put("DATABASE_URL", databaseUrl);
        }
        environment.putAll(moreEnvironment);
        GatewayConfig shipped = new GatewayConfigReader(environment).read(configFile);
        // The shipped config listens on LiteLLM's port 4000; tests take a free one.
        GatewayConfig config = shipped.withGateway(shipped.gateway().withListener("127.0.0.1", 0));

        GatewayMetrics metrics = new GatewayMetrics();
        JwtGatewayComponents components = JwtGatewayComponents.create(config, metrics);
        try {
            GatewayServer server = new GatewayServer(config, components.authenticator(), components.dataSource(),
                    components.changes(), components.readinessChecks(), metrics).start();
            // As Main wires them: announced changes drop the remembered rate limits too.
            components.onAnyChange(server::forgetCachedLimits);
            return new GatewayUnderTest(components, server);
        } catch (RuntimeException e) {
            components.close();
            throw e;
        }
    }

    URI uri() {
        return server.uri();
    }

    Http http() {
        return http;
    }

    /** {@code POST /chat/completions} for a model, as an OpenAI client sends it. */
    HttpResponse<String> chat(String token, String model) throws IOException, InterruptedException {
        return http.send(chatRequest(token, model, false));
    }

    /** The request {@link #chat} sends, for a test to add headers to or to read as a stream. */
    HttpRequest.Builder chatRequest(String token, String model, boolean stream) {
        HttpRequest.Builder request = http.request("/chat/completions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    /** A management call with the master key. */
    HttpResponse<String> manage(String path, String json) throws IOException, InterruptedException {
        return http.post(path, MASTER_KEY, json);
    }

    /** A management read with the master key, e.g. {@code /team/info} with {@code team_id}. */
    HttpResponse<String> read(String path, String parameter, String value) throws IOException,
            InterruptedException {
        return http.get(path + "?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8), MASTER_KEY);
    }

    /**
     * A change made directly in the database, as an operator's script or LiteLLM's spend tracking makes it. The
     * gateway's cache does not see it until the object changes through the management API or the cache expires.
     */
    void sql(String statement, Object... parameters) throws SQLException {
        try (Connection c = components.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            components.close();
        }
    }
}
