package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.gateway.GatewayServer;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewayConfigReader;
import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.management.ObjectChangeListener;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.support.Http;
import io.claimgate.gateway.support.StubAuthenticator;
import io.claimgate.gateway.support.StubUpstream;
import io.claimgate.gateway.support.TestDatabase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code general_settings.litellm_key_header_name} over real HTTP on 127.0.0.1: the gateway reads the caller's key from
 * the configured header on every endpoint, never forwards it, and refuses a request whose headers disagree.
 */
class CustomKeyHeaderIT {

    private static final String KEY_HEADER = "X-Litellm-Key";
    private static final String UPSTREAM_KEY = "sk-upstream-secret";
    private static final StubAuthenticator AUTH = new StubAuthenticator();

    private static TestDatabase database;
    private static StubUpstream upstream;
    private static GatewayServer gateway;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        upstream = new StubUpstream();
        GatewayConfig read = new GatewayConfigReader(Map.of()).parse("""
                general_settings:
                  master_key: sk-master-1234
                  enable_jwt_auth: true
                  litellm_key_header_name: "X-Litellm-Key"
                model_list:
                  - model_name: gpt-4o
                """);
        GatewaySettings settings = GatewaySettings.defaults().withListener("127.0.0.1", 0)
                .withUpstream(upstream.uri(), UPSTREAM_KEY);
        GatewayConfig config = read.withDatabaseUrl(null).withGateway(settings);
        gateway = new GatewayServer(config, AUTH, database.dataSource(), ObjectChangeListener.NONE, List.of(),
                new GatewayMetrics()).start();
        http = new Http(gateway.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        upstream.close();
        database.close();
    }

    @BeforeEach
    void reset() {
        AUTH.seen.clear();
    }

    private static HttpRequest.Builder chat() {
        return http.request("/chat/completions")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\"}"))
                .header("Content-Type", "application/json");
    }

    @Test
    void authenticatesWithTheKeyInTheConfiguredHeaderAndNeverForwardsIt() throws Exception {
        HttpResponse<String> response = http.send(chat().header(KEY_HEADER, "Bearer " + StubAuthenticator.TEAM_TOKEN));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(AUTH.seen).singleElement().satisfies(r -> assertThat(r.model()).isEqualTo("gpt-4o"));
        StubUpstream.Received received = upstream.last();
        assertThat(received.headers().containsKey(KEY_HEADER)).isFalse();
        assertThat(received.headers().get("Authorization")).containsExactly("Bearer " + UPSTREAM_KEY);
        assertThat(received.headers().get("X-Auth-Request-User")).containsExactly("alice");
    }

    @Test
    void refusesADifferentKeyInAuthorizationWith400WithoutCallingTheUpstream() throws Exception {
        StubUpstream.Received before = upstream.last();

        HttpResponse<String> response = http.send(chat()
                .header(KEY_HEADER, "Bearer " + StubAuthenticator.TEAM_TOKEN)
                .header("Authorization", "Bearer " + StubAuthenticator.ADMIN_TOKEN));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("bad_request_error");
        assertThat(error.get("code").asText()).isEqualTo("400");
        assertThat(error.get("message").asText()).contains("x-litellm-key").contains("authorization");
        assertThat(response.body()).doesNotContain(StubAuthenticator.TEAM_TOKEN)
                .doesNotContain(StubAuthenticator.ADMIN_TOKEN);
        assertThat(AUTH.seen).isEmpty();
        assertThat(upstream.last()).isSameAs(before);
    }

    @Test
    void refusesABareValueInTheConfiguredHeaderAsNoKeyWith401() throws Exception {
        // LiteLLM reads this header with _get_bearer_token: without "Bearer " there is no key.
        HttpResponse<String> response = http.send(chat().header(KEY_HEADER, StubAuthenticator.TEAM_TOKEN));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Http.json(response).get("error").get("type").asText()).isEqualTo("auth_error");
    }

    @Test
    void readsTheConfiguredHeaderOnForwardAuthAndModels() throws Exception {
        HttpResponse<String> auth = http.send(http.request("/auth").GET()
                .header(KEY_HEADER, "Bearer " + StubAuthenticator.TEAM_TOKEN)
                .header("X-Original-URI", "/v1/embeddings"));
        HttpResponse<String> models = http.send(http.request("/v1/models").GET()
                .header(KEY_HEADER, "Bearer " + StubAuthenticator.TEAM_TOKEN));

        assertThat(auth.statusCode()).isEqualTo(200);
        assertThat(auth.headers().firstValue("X-Auth-Request-User")).hasValue("alice");
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(Http.json(models).get("data").findValuesAsText("id")).containsExactly("gpt-4o");
    }
}
