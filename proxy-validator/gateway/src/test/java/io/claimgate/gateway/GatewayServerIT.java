package io.claimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.TokenRules;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.management.ObjectChangeListener;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.support.Http;
import io.claimgate.gateway.support.StubAuthenticator;
import io.claimgate.gateway.support.StubUpstream;
import io.claimgate.gateway.support.TestDatabase;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The gateway over real HTTP on 127.0.0.1, with a stub authenticator, a real upstream and real PostgreSQL. */
class GatewayServerIT {

    private static final String MASTER_KEY = "sk-master-1234";
    private static final String UPSTREAM_KEY = "sk-upstream-secret";
    private static final long BODY_LIMIT = 64 * 1024;

    private static TestDatabase database;
    private static StubUpstream upstream;
    private static GatewayServer gateway;
    private static Http http;
    private static final StubAuthenticator AUTH = new StubAuthenticator();
    private static final AtomicBoolean KEYS_READY = new AtomicBoolean(true);

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        upstream = new StubUpstream();
        gateway = startGateway(upstream.uri());
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
        KEYS_READY.set(true);
    }

    private static GatewayServer startGateway(URI upstreamUri) {
        return startGateway(upstreamUri, java.util.function.UnaryOperator.identity());
    }

    private static GatewayServer startGateway(URI upstreamUri, java.util.function.UnaryOperator<GatewaySettings> tweak) {
        GatewaySettings settings = tweak.apply(GatewaySettings.defaults().withListener("127.0.0.1", 0)
                .withUpstream(upstreamUri, UPSTREAM_KEY).withMaxRequestBodyBytes(BODY_LIMIT));
        GatewayConfig config = new GatewayConfig(true, JwtAuthSettings.defaults(), MASTER_KEY, null,
                List.of("gpt-4o", "claude", "mistral"), settings, List.of());
        return new GatewayServer(config, AUTH, database.dataSource(), ObjectChangeListener.NONE,
                List.of(ReadinessCheck.database(database.dataSource(), java.time.Duration.ofSeconds(2)),
                        new ReadinessCheck("key_source", KEYS_READY::get)),
                new GatewayMetrics()).start();
    }

    private static void assertLiteLlmError(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.has("param")).isTrue();
        assertThat(error.get("code").asText()).isEqualTo(Integer.toString(status));
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.");
    }

    @Nested
    class Health {

        @Test
        void answersLivenessWithoutAToken() throws Exception {
            for (String path : List.of("/health/liveliness", "/health/liveness")) {
                HttpResponse<String> response = http.get(path, null);

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("\"I'm alive!\"");
            }
        }

        @Test
        void isReadyWhenDatabaseAndKeysAre() throws Exception {
            HttpResponse<String> response = http.get("/health/readiness", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Http.json(response).get("checks").get("database").asText()).isEqualTo("ok");
        }

        @Test
        void isNotReadyWhileAKeySourceIsDown() throws Exception {
            KEYS_READY.set(false);

            HttpResponse<String> response = http.get("/health/readiness", null);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(Http.json(response).get("checks").get("key_source").asText()).isEqualTo("unavailable");
        }

        @Test
        void countsRefusalsByReasonInPrometheusMetrics() throws Exception {
            http.get("/chat/completions", null);

            HttpResponse<String> metrics = http.get("/metrics", null);

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("claimgate_requests_total{")
                    .contains("reason=\"token_missing\"")
                    .contains("claimgate_request_duration_seconds_bucket");
        }
    }

    @Nested
    class ForwardAuthEndpoint {

        @Test
        void allowsWithIdentityHeadersTakingTheRouteFromXForwardedUriWhenConfiguredForTraefik() throws Exception {
            // The route header is a setting now: X-Forwarded-Uri is read only when the operator says Traefik sets it.
            try (GatewayServer traefik = startGateway(upstream.uri(),
                    s -> s.withForwardAuthRoute(io.claimgate.gateway.config.RouteSource.X_FORWARDED_URI))) {
                allowsWithIdentityHeaders(new Http(traefik.uri()));
            }
        }

        private void allowsWithIdentityHeaders(Http http) throws Exception {
            HttpResponse<String> response = http.send(http.request("/auth").GET()
                    .header("Authorization", "Bearer " + StubAuthenticator.TEAM_TOKEN)
                    .header("X-Forwarded-Uri", "/chat/completions?stream=true")
                    .header("X-Model", "gpt-4o")
                    .header("x-litellm-team-id", "research"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Auth-Request-User")).hasValue("alice");
            assertThat(response.headers().firstValue("X-Auth-Request-Email")).hasValue("alice@example.com");
            assertThat(response.headers().firstValue("X-Auth-Request-Team")).hasValue("research");
            assertThat(response.headers().firstValue("X-Auth-Request-Role")).hasValue("team");
            assertThat(response.headers().firstValue("X-Auth-Request-Org")).hasValue("acme");
            assertThat(response.headers().firstValue("X-Auth-Request-End-User")).isEmpty();
            assertThat(AUTH.seen).singleElement().satisfies(r -> {
                assertThat(r.route()).isEqualTo("/chat/completions");
                assertThat(r.model()).isEqualTo("gpt-4o");
                assertThat(r.requestedTeamId()).isEqualTo("research");
            });
        }

        @Test
        void takesTheRouteFromNginxsXOriginalUri() throws Exception {
            HttpResponse<String> response = http.send(http.request("/auth").POST(HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + StubAuthenticator.TEAM_TOKEN)
                    .header("X-Original-URI", "/v1/embeddings"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(AUTH.seen).singleElement().satisfies(r -> assertThat(r.route()).isEqualTo("/v1/embeddings"));
        }

        @Test
        void takesTheRouteEnvoyAppendsToThePathPrefixWhenConfiguredForEnvoy() throws Exception {
            try (GatewayServer envoy = startGateway(upstream.uri(),
                    s -> s.withForwardAuthRoute(io.claimgate.gateway.config.RouteSource.PATH))) {
                HttpResponse<String> response = new Http(envoy.uri()).get("/auth/chat/completions",
                        StubAuthenticator.TEAM_TOKEN);

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(AUTH.seen).singleElement()
                        .satisfies(r -> assertThat(r.route()).isEqualTo("/chat/completions"));
            }
        }

        @Test
        void refusesAMissingTokenWith401InLiteLlmsShape() throws Exception {
            HttpResponse<String> response = http.send(http.request("/auth").GET()
                    .header("X-Original-URI", "/chat/completions"));

            assertLiteLlmError(response, 401, "auth_error");
            assertThat(Http.json(response).get("error").get("param").isNull()).isTrue();
        }

        @Test
        void refusesADeniedModelWith403() throws Exception {
            HttpResponse<String> response = http.send(http.request("/auth").GET()
                    .header("Authorization", "Bearer " + StubAuthenticator.TEAM_TOKEN)
                    .header("X-Original-URI", "/chat/completions")
                    .header("X-Model", StubAuthenticator.DENIED_MODEL));

            assertLiteLlmError(response, 403, "team_model_access_denied");
            assertThat(Http.json(response).get("error").get("param").asText()).isEqualTo("model");
        }

        @Test
        void refusesDotSegmentsInsteadOfAuthorizingTheWrongRoute() throws Exception {
            HttpResponse<String> response = http.send(http.request("/auth").GET()
                    .header("Authorization", "Bearer " + StubAuthenticator.TEAM_TOKEN)
                    .header("X-Original-URI", "/chat/completions/../team/new"));

            assertLiteLlmError(response, 400, "bad_request_error");
            assertThat(AUTH.seen).isEmpty();
        }

        @Test
        void passesATokenAsLongAsTheAuthenticatorAcceptsToIt() throws Exception {
            String longToken = "x".repeat(TokenRules.DEFAULT_MAX_TOKEN_LENGTH + 100);

            HttpResponse<String> response = http.send(http.request("/auth").GET()
                    .header("Authorization", "Bearer " + longToken)
                    .header("X-Original-URI", "/chat/completions"));

            assertLiteLlmError(response, 401, "auth_error");
            assertThat(AUTH.seen).hasSize(1);
        }

        @Test
        void refusesARequestThatNamesNoRoute() throws Exception {
            HttpResponse<String> response = http.get("/auth", StubAuthenticator.TEAM_TOKEN);

            assertLiteLlmError(response, 400, "bad_request_error");
        }
    }

    @Nested
    class Proxy {

        @Test
        void forwardsWithTheUpstreamCredentialAndIdentityNeverTheCallersToken() throws Exception {
            HttpResponse<String> response = http.send(http.request("/v1/chat/completions?debug=1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"user\":\"customer-7\"}"))
                    .header("Authorization", "Bearer " + StubAuthenticator.TEAM_TOKEN)
                    .header("Content-Type", "application/json")
                    .header("x-litellm-api-key", "Bearer " + StubAuthenticator.TEAM_TOKEN)
                    .header("X-Auth-Request-User", "mallory")
                    .header("X-Request-Id", "req-1"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Upstream")).hasValue("stub");
            StubUpstream.Received received = upstream.last();
            assertThat(received.pathAndQuery()).isEqualTo("/v1/chat/completions?debug=1");
            assertThat(received.headers().get("Authorization")).containsExactly("Bearer " + UPSTREAM_KEY);
            assertThat(received.headers().get("X-Auth-Request-User")).containsExactly("alice");
            assertThat(received.headers().get("X-Auth-Request-End-User")).containsExactly("customer-7");
            assertThat(received.headers().containsKey("X-litellm-api-key")).isFalse();
            assertThat(received.headers().get("X-Request-Id")).containsExactly("req-1");
            assertThat(received.body()).isEqualTo("{\"model\":\"gpt-4o\",\"user\":\"customer-7\"}");
            assertThat(AUTH.seen).singleElement().satisfies(r -> {
                assertThat(r.route()).isEqualTo("/v1/chat/completions");
                assertThat(r.model()).isEqualTo("gpt-4o");
                assertThat(r.endUserId()).isEqualTo("customer-7");
            });
        }

        @Test
        void refusesADeniedModelWithoutCallingTheUpstream() throws Exception {
            StubUpstream.Received before = upstream.last();

            HttpResponse<String> response = http.post("/chat/completions", StubAuthenticator.TEAM_TOKEN,
                    "{\"model\":\"" + StubAuthenticator.DENIED_MODEL + "\"}");

            assertLiteLlmError(response, 403, "team_model_access_denied");
            assertThat(upstream.last()).isSameAs(before);
        }

        @Test
        void readsTheModelFromAzureDeploymentPaths() throws Exception {
            // The body names no model: a body naming another one is refused as ambiguous (EnforcementIT).
            HttpResponse<String> response = http.post("/openai/deployments/" + StubAuthenticator.DENIED_MODEL
                    + "/chat/completions", StubAuthenticator.TEAM_TOKEN, "{\"messages\":[]}");

            assertLiteLlmError(response, 403, "team_model_access_denied");
        }

        @Test
        void readsTheModelFromAMultipartField() throws Exception {
            String boundary = "b0undary";
            String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                    + "Content-Type: audio/wav\r\n\r\nRIFF....\r\n--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + StubAuthenticator.DENIED_MODEL
                    + "\r\n--" + boundary + "--\r\n";

            HttpResponse<String> response = http.send(http.request("/v1/audio/transcriptions")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Authorization", "Bearer " + StubAuthenticator.TEAM_TOKEN)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary));

            assertLiteLlmError(response, 403, "team_model_access_denied");
        }

        @Test
        void readsJsonBodiesSentWithoutAJsonContentType() throws Exception {
            HttpResponse<String> response = http.send(http.request("/chat/completions")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + StubAuthenticator.DENIED_MODEL
                            + "\"}"))
                    .header("Authorization", "Bearer " + StubAuthenticator.TEAM_TOKEN)
                    .header("Content-Type", "text/plain"));

            assertLiteLlmError(response, 403, "team_model_access_denied");
        }

        @Test
        void refusesAnUnreadableJsonBodyWith400() throws Exception {
            HttpResponse<String> response = http.post("/chat/completions", StubAuthenticator.TEAM_TOKEN,
                    "{\"model\": ");

            assertLiteLlmError(response, 400, "bad_request_error");
        }

        @Test
        void refusesABodyOverTheLimitFromItsContentLength() throws Exception {
            HttpResponse<String> response = http.post("/chat/completions", StubAuthenticator.TEAM_TOKEN,
                    "{\"model\":\"gpt-4o\",\"pad\":\"" + "x".repeat((int) BODY_LIMIT) + "\"}");

            assertLiteLlmError(response, 413, "bad_request_error");
            // The token is checked first now; the body's models never reached the authenticator.
            assertThat(AUTH.seen).singleElement().satisfies(r -> assertThat(r.models()).isEmpty());
        }

        @Test
        void refusesAChunkedBodyOverTheLimitWhileReadingIt() throws Exception {
            byte[] big = ("{\"pad\":\"" + "x".repeat((int) BODY_LIMIT * 2) + "\"}").getBytes(StandardCharsets.UTF_8);

            HttpResponse<String> response = http.send(http.request("/chat/completions")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                    .header("Authorization", "Bearer " + StubAuthenticator.TEAM_TOKEN));

            assertLiteLlmError(response, 413, "bad_request_error");
        }

        @Test
        void refusesDotSegmentsInTheRequestPath() throws Exception {
            HttpResponse<String> response = http.get("/chat/completions/../team/new", StubAuthenticator.TEAM_TOKEN);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(Http.json(response).get("error").get("code").asText()).isEqualTo("400");
            assertThat(AUTH.seen).noneMatch(r -> r.route().startsWith("/chat/completions"));
        }

        @Test
        void answersAMalformedPathInLiteLlmsShapeNotHtml() throws Exception {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET /chat/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"400\"")
                        .doesNotContain("<html");
            }
        }

        @Test
        void answersAnUnparseableRequestLineInLiteLlmsShape() throws Exception {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET /a b\u0001c HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(answer).startsWith("HTTP/1.1 400").contains("\"type\":\"bad_request_error\"")
                        .doesNotContain("<h1>");
            }
        }

        @Test
        void countsAForwardedRequestOnceItsAnswerIsComplete() throws Exception {
            try (GatewayServer fresh = startGateway(upstream.uri())) {
                Http client = new Http(fresh.uri());
                assertThat(client.post("/chat/completions", StubAuthenticator.TEAM_TOKEN, "{\"model\":\"gpt-4o\"}")
                        .statusCode()).isEqualTo(200);

                assertThat(client.get("/metrics", null).body()).contains(
                        "claimgate_requests_total{endpoint=\"proxy\",outcome=\"allowed\",reason=\"none\"} 1.0");
            }
        }

        @Test
        void keepsTheUpstreamsContentLengthAndSendsOneDate() throws Exception {
            HttpResponse<String> response = http.post("/chat/completions", StubAuthenticator.TEAM_TOKEN,
                    "{\"model\":\"gpt-4o\"}");

            assertThat(response.statusCode()).isEqualTo(200);
            // the answer passes through unchanged, so its length holds and it is not re-chunked
            assertThat(response.headers().firstValue("content-length"))
                    .hasValue(Integer.toString(response.body().getBytes(StandardCharsets.UTF_8).length));
            assertThat(response.headers().firstValue("transfer-encoding")).isEmpty();
            assertThat(response.headers().allValues("date")).hasSize(1);
        }

        @Test
        void streamsServerSentEventsAsTheyArrive() throws Exception {
            HttpResponse<InputStream> response = http.client().send(http.request("/chat/completions")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"stream\": true}"))
                    .header("Authorization", "Bearer " + StubAuthenticator.TEAM_TOKEN)
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofInputStream());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String first = events.readLine();
                boolean upstreamStillAnswering = !upstream.streamFinished();
                upstream.releaseStream();
                String rest = events.lines().reduce("", String::concat);

                assertThat(first).contains("\"first\"");
                assertThat(upstreamStillAnswering).as("first event arrived before the upstream finished").isTrue();
                assertThat(rest).contains("\"second\"").contains("[DONE]");
            }
        }

        @Test
        void refusesAMissingTokenWith401() throws Exception {
            assertLiteLlmError(http.post("/chat/completions", null, "{\"model\":\"gpt-4o\"}"), 401, "auth_error");
        }

        @Test
        void answers502InLiteLlmsShapeWhenTheUpstreamIsDown() throws Exception {
            try (GatewayServer noUpstream = startGateway(URI.create("http://127.0.0.1:1"))) {
                HttpResponse<String> response = new Http(noUpstream.uri()).post("/chat/completions",
                        StubAuthenticator.TEAM_TOKEN, "{\"model\":\"gpt-4o\"}");

                assertLiteLlmError(response, 502, "service_unavailable");
                assertThat(new Http(noUpstream.uri()).get("/metrics", null).body()).contains(
                        "claimgate_requests_total{endpoint=\"proxy\",outcome=\"error\",reason=\"upstream\"} 1.0");
            }
        }

        @Test
        void answers504InLiteLlmsShapeWhenTheUpstreamGoesSilent() throws Exception {
            try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
                    java.net.InetAddress.getLoopbackAddress())) {
                // Accepts connections (the backlog does) and never answers.
                GatewaySettings quick = GatewaySettings.defaults().withListener("127.0.0.1", 0)
                        .withUpstream(URI.create("http://127.0.0.1:" + silent.getLocalPort()), UPSTREAM_KEY)
                        .withReadTimeout(java.time.Duration.ofMillis(500));
                GatewayConfig config = new GatewayConfig(true, JwtAuthSettings.defaults(), MASTER_KEY, null,
                        List.of("gpt-4o"), quick, List.of());
                try (GatewayServer gateway = new GatewayServer(config, AUTH, database.dataSource(),
                        ObjectChangeListener.NONE, List.of(), new GatewayMetrics()).start()) {
                    HttpResponse<String> response = new Http(gateway.uri()).post("/chat/completions",
                            StubAuthenticator.TEAM_TOKEN, "{\"model\":\"gpt-4o\"}");

                    assertLiteLlmError(response, 504, "service_unavailable");
                }
            }
        }

        @Test
        void answers404WhenNoUpstreamIsConfigured() throws Exception {
            try (GatewayServer noUpstream = startGateway(null)) {
                HttpResponse<String> response = new Http(noUpstream.uri()).post("/chat/completions",
                        StubAuthenticator.TEAM_TOKEN, "{\"model\":\"gpt-4o\"}");

                assertLiteLlmError(response, 404, "not_found_error");
            }
        }
    }

    @Nested
    class ModelsAndMasterKey {

        @Test
        void listsTheTeamsModelsFromTheModelList() throws Exception {
            HttpResponse<String> response = http.get("/v1/models", StubAuthenticator.TEAM_TOKEN);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Http.json(response).get("data").findValuesAsText("id")).containsExactly("gpt-4o", "claude");
        }

        @Test
        void acceptsTheMasterKeyOnEveryRoute() throws Exception {
            HttpResponse<String> response = http.post("/chat/completions", MASTER_KEY, "{\"model\":\"gpt-4o\"}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(upstream.last().headers().get("X-Auth-Request-Role")).containsExactly("proxy_admin");
            assertThat(AUTH.seen).isEmpty();
        }

        @Test
        void handsAnyOtherKeyToTheJwtAuthenticator() throws Exception {
            HttpResponse<String> response = http.post("/chat/completions", MASTER_KEY + "x", "{}");

            assertLiteLlmError(response, 401, "auth_error");
            assertThat(AUTH.seen).hasSize(1);
        }

        @Test
        void answers503WhileTheDatabaseIsUnreachable() throws Exception {
            org.postgresql.ds.PGSimpleDataSource unreachable = new org.postgresql.ds.PGSimpleDataSource();
            unreachable.setUrl("jdbc:postgresql://127.0.0.1:1/litellm");
            unreachable.setConnectTimeout(2);
            GatewayConfig config = new GatewayConfig(true, JwtAuthSettings.defaults(), MASTER_KEY, null, List.of(),
                    GatewaySettings.defaults().withListener("127.0.0.1", 0), List.of());
            try (GatewayServer down = new GatewayServer(config, AUTH, unreachable, ObjectChangeListener.NONE,
                    List.of(ReadinessCheck.database(unreachable, java.time.Duration.ofSeconds(2))),
                    new GatewayMetrics()).start()) {
                Http client = new Http(down.uri());

                assertLiteLlmError(client.post("/team/new", MASTER_KEY, "{\"team_id\": \"t\"}"), 503,
                        "service_unavailable");
                assertThat(client.get("/health/readiness", null).statusCode()).isEqualTo(503);
            }
        }

        @Test
        void refusesTeamTokensOnManagementRoutes() throws Exception {
            HttpResponse<String> response = http.get("/user/list", StubAuthenticator.TEAM_TOKEN);

            assertLiteLlmError(response, 403, "auth_error");
        }
    }
}
