package io.claimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.gateway.config.BodyReadLimits;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.management.ObjectChangeListener;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.support.Http;
import io.claimgate.gateway.support.RawHttp;
import io.claimgate.gateway.support.StubAuthenticator;
import io.claimgate.gateway.support.StubUpstream;
import io.claimgate.gateway.support.TestDatabase;
import io.claimgate.model.JwtAuthSettings;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The gateway authorises exactly what the upstream will execute: one test per attack of issue 8 (sections 1, 3 and 6),
 * each with the honest form of the same request as a control, over real HTTP against a recording upstream.
 */
class EnforcementIT {

    private static final String MASTER_KEY = "sk-master-1234";
    private static final long BODY_LIMIT = 64 * 1024;
    private static final String TEAM = StubAuthenticator.TEAM_TOKEN;
    private static final String DENIED = StubAuthenticator.DENIED_MODEL;

    private static TestDatabase database;
    private static StubUpstream upstream;
    private static GatewayServer gateway;
    private static Http http;
    private static final StubAuthenticator AUTH = new StubAuthenticator();

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        upstream = new StubUpstream();
        gateway = startGateway(UnaryOperator.identity());
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

    private static GatewayServer startGateway(UnaryOperator<GatewaySettings> tweak) {
        return startGateway(tweak, List.of());
    }

    private static GatewayServer startGateway(UnaryOperator<GatewaySettings> tweak, List<ReadinessCheck> checks) {
        GatewaySettings settings = tweak.apply(GatewaySettings.defaults().withListener("127.0.0.1", 0)
                .withUpstream(upstream.uri(), "sk-upstream").withMaxRequestBodyBytes(BODY_LIMIT));
        GatewayConfig config = new GatewayConfig(true, JwtAuthSettings.defaults(), MASTER_KEY, null,
                List.of("gpt-4o", "claude"), settings, List.of());
        return new GatewayServer(config, AUTH, database.dataSource(), ObjectChangeListener.NONE, checks,
                new GatewayMetrics()).start();
    }

    /** A path the upstream has not seen yet, so a test can tell whether this very request reached it. */
    private static String probe(String route) {
        return route + "?probe=" + UUID.randomUUID();
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(Integer.toString(response.statusCode()));
        return error;
    }

    private static JsonNode error(RawHttp.Answer answer) throws Exception {
        JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(Integer.toString(answer.status()));
        return error;
    }

    @Nested
    class NothingIsReadFromAnUnknownCaller {

        @Test
        void answers401BeforeReadingTheBodyOfAnUnauthenticatedRequest() throws Exception {
            String refused = probe("/v1/chat/completions");
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                // given a request declaring a large body, of which only a few bytes ever arrive
                client.sendStalled("POST", refused, null, BODY_LIMIT - 1, "{\"model\":");

                // when the gateway answers
                RawHttp.Answer answer = client.answer();

                // then it refused without waiting for the body, and closed the connection on the unread bytes
                assertThat(answer.status()).isEqualTo(401);
                assertThat(error(answer).get("type").asText()).isEqualTo("auth_error");
                assertThat(answer.headers()).containsEntry("connection", "close");
                assertThat(client.closedByServer()).isTrue();
            }
            assertThat(upstream.saw(refused)).isFalse();
            assertThat(AUTH.seen).singleElement().satisfies(r -> assertThat(r.models()).isEmpty());

            String honest = probe("/v1/chat/completions");
            assertThat(http.post(honest, TEAM, chat("gpt-4o")).statusCode()).isEqualTo(200);
            assertThat(upstream.saw(honest)).isTrue();
        }

        @Test
        void answersARefusedUploadWhileTheClientIsStillSendingIt() throws Exception {
            // given a client without a token that sends a whole body near the limit as fast as it can, as a client
            // with an expired token uploading an audio file does
            for (int attempt = 0; attempt < 20; attempt++) {
                HttpResponse<String> response = http.send(http.request(probe("/v1/audio/transcriptions"))
                        .POST(HttpRequest.BodyPublishers.ofString("x".repeat((int) BODY_LIMIT - 1))));

                // then it gets the 401 every time, never a connection reset in its place
                assertThat(response.statusCode()).isEqualTo(401);
                assertThat(error(response).get("type").asText()).isEqualTo("auth_error");
            }
        }

        @Test
        void answers403ForARefusedRouteBeforeReadingTheBody() throws Exception {
            String refused = probe("/v1/chat/completions");
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                // the stub's admin token may call management routes only
                client.sendStalled("POST", refused, StubAuthenticator.ADMIN_TOKEN, BODY_LIMIT - 1, "{");

                RawHttp.Answer answer = client.answer();

                assertThat(answer.status()).isEqualTo(403);
                assertThat(answer.headers()).containsEntry("connection", "close");
                assertThat(client.closedByServer()).isTrue();
            }
            assertThat(upstream.saw(refused)).isFalse();
        }

        @Test
        void keepsAnsweringAuthenticatedClientsWhile400UnauthenticatedUploadsStall() throws Exception {
            // given 400 connections that each declare a body, send a few bytes of it and hold
            List<RawHttp> stalled = new ArrayList<>();
            String refused = probe("/v1/chat/completions");
            try {
                for (int i = 0; i < 400; i++) {
                    stalled.add(RawHttp.open(gateway.uri()).sendStalled("POST", refused, null, BODY_LIMIT - 1,
                            "{\"model\":\"gpt-4o\","));
                }

                // when an authenticated client calls while they hold
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    statuses.add(http.post(probe("/v1/chat/completions"), TEAM, chat("gpt-4o")).statusCode());
                }

                // then every one of its calls is answered, and every stalled upload got its 401
                assertThat(statuses).hasSize(20).containsOnly(200);
                for (RawHttp client : stalled) {
                    assertThat(client.answer().status()).isEqualTo(401);
                }
            } finally {
                for (RawHttp client : stalled) {
                    client.close();
                }
            }
            assertThat(upstream.saw(refused)).isFalse();
        }

        @Test
        void refusesABodyThatDoesNotArriveInTime() throws Exception {
            try (GatewayServer strict = startGateway(s -> s.withBodyReads(
                    new BodyReadLimits(Duration.ofSeconds(1), 0, 16)))) {
                String refused = probe("/v1/chat/completions");
                try (RawHttp client = RawHttp.open(strict.uri())) {
                    client.sendStalled("POST", refused, TEAM, 1000, "{\"model\":");

                    RawHttp.Answer answer = client.answer();

                    assertThat(answer.status()).isEqualTo(408);
                    assertThat(error(answer).get("message").asText()).contains("gateway.body_read_timeout");
                    assertThat(answer.headers()).containsEntry("connection", "close");
                }
                assertThat(upstream.saw(refused)).isFalse();

                String honest = probe("/v1/chat/completions");
                assertThat(new Http(strict.uri()).post(honest, TEAM, chat("gpt-4o")).statusCode()).isEqualTo(200);
                assertThat(upstream.saw(honest)).isTrue();
            }
        }

        @Test
        void refusesABodyThatArrivesSlowerThanTheMinimumRate() throws Exception {
            try (GatewayServer strict = startGateway(s -> s.withBodyReads(
                    new BodyReadLimits(Duration.ofSeconds(60), 100_000, 16)))) {
                String refused = probe("/v1/chat/completions");
                try (RawHttp client = RawHttp.open(strict.uri())) {
                    client.sendStalled("POST", refused, TEAM, 1000, "{\"model\":");

                    RawHttp.Answer answer = client.answer();

                    assertThat(answer.status()).isEqualTo(408);
                    assertThat(error(answer).get("message").asText())
                            .contains("gateway.body_min_bytes_per_second");
                }
                assertThat(upstream.saw(refused)).isFalse();

                String honest = probe("/v1/chat/completions");
                assertThat(new Http(strict.uri()).post(honest, TEAM, chat("gpt-4o")).statusCode()).isEqualTo(200);
            }
        }

        @Test
        void answers503WhileEveryBodyReadSlotIsTaken() throws Exception {
            try (GatewayServer narrow = startGateway(s -> s.withBodyReads(
                    new BodyReadLimits(Duration.ofSeconds(60), 0, 1)))) {
                Http client = new Http(narrow.uri());
                String refused = null;
                HttpResponse<String> full = null;
                try (RawHttp slow = RawHttp.open(narrow.uri())) {
                    // given an authenticated upload that holds the only slot
                    slow.sendStalled("POST", probe("/v1/chat/completions"), TEAM, 1000, "{");

                    // when another body arrives (until the slow one is certainly being read)
                    for (int i = 0; i < 200 && full == null; i++) {
                        String attempt = probe("/v1/chat/completions");
                        HttpResponse<String> response = client.post(attempt, TEAM, chat("gpt-4o"));
                        if (response.statusCode() == 503) {
                            full = response;
                            refused = attempt;
                        } else {
                            Thread.sleep(10);
                        }
                    }

                    // then it is told to retry, in LiteLLM's shape, and never forwarded
                    assertThat(full).isNotNull();
                    assertThat(error(full).get("type").asText()).isEqualTo("service_unavailable");
                    assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(upstream.saw(refused)).isFalse();
                }
                // and once the slow upload is gone, its slot serves the next body
                int status = 0;
                for (int i = 0; i < 200 && status != 200; i++) {
                    status = client.post(probe("/v1/chat/completions"), TEAM, chat("gpt-4o")).statusCode();
                    if (status != 200) {
                        Thread.sleep(10);
                    }
                }
                assertThat(status).isEqualTo(200);
            }
        }

        @Test
        void refusesCompressedRequestBodies() throws Exception {
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
                gzip.write(chat(DENIED).getBytes(StandardCharsets.UTF_8));
            }
            String refused = probe("/v1/chat/completions");

            HttpResponse<String> response = http.send(http.request(refused)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray()))
                    .header("Authorization", "Bearer " + TEAM)
                    .header("Content-Type", "application/json")
                    .header("Content-Encoding", "gzip"));

            assertThat(response.statusCode()).isEqualTo(415);
            assertThat(error(response).get("type").asText()).isEqualTo("bad_request_error");
            assertThat(upstream.saw(refused)).isFalse();

            String honest = probe("/v1/chat/completions");
            assertThat(http.post(honest, TEAM, chat("gpt-4o")).statusCode()).isEqualTo(200);
            assertThat(upstream.saw(honest)).isTrue();
        }
    }

    @Nested
    class EveryModelIsAuthorised {

        @Test
        void refusesModelInQueryStringThatDiffersFromBody() throws Exception {
            String refused = "/v1/chat/completions?model=" + DENIED + "&probe=" + UUID.randomUUID();

            HttpResponse<String> response = http.post(refused, TEAM, chat("gpt-4o"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(error(response).get("param").asText()).isEqualTo("model");
            assertThat(upstream.saw(refused)).isFalse();

            String honest = "/v1/chat/completions?model=gpt-4o&probe=" + UUID.randomUUID();
            assertThat(http.post(honest, TEAM, chat("gpt-4o")).statusCode()).isEqualTo(200);
            assertThat(upstream.saw(honest)).isTrue();
        }

        @Test
        void refusesModelInPathThatDiffersFromBody() throws Exception {
            String refused = probe("/openai/deployments/" + DENIED + "/chat/completions");

            HttpResponse<String> response = http.post(refused, TEAM, chat("gpt-4o"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(upstream.saw(refused)).isFalse();

            String honest = probe("/openai/deployments/gpt-4o/chat/completions");
            assertThat(http.post(honest, TEAM, chat("gpt-4o")).statusCode()).isEqualTo(200);
            assertThat(upstream.saw(honest)).isTrue();
        }

        @Test
        void authorisesTheModelTheQueryStringNamesForABodyThatNamesNone() throws Exception {
            String refused = "/v1/embeddings?model=" + DENIED + "&probe=" + UUID.randomUUID();

            HttpResponse<String> response = http.post(refused, TEAM, "{\"input\":\"hi\"}");

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(error(response).get("type").asText()).isEqualTo("team_model_access_denied");
            assertThat(upstream.saw(refused)).isFalse();

            String honest = "/v1/embeddings?model=gpt-4o&probe=" + UUID.randomUUID();
            assertThat(http.post(honest, TEAM, "{\"input\":\"hi\"}").statusCode()).isEqualTo(200);
            assertThat(AUTH.seen).last().satisfies(r -> assertThat(r.models()).containsExactly("gpt-4o"));
        }

        @Test
        void authorisesEveryFallbackModel() throws Exception {
            // given a model the team may use, with a fallback it may not: the upstream would call the fallback
            String refused = probe("/v1/chat/completions");
            String withDeniedFallback = "{\"model\":\"gpt-4o\",\"fallbacks\":[\"" + DENIED + "\"],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

            HttpResponse<String> response = http.post(refused, TEAM, withDeniedFallback);

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(error(response).get("type").asText()).isEqualTo("team_model_access_denied");
            assertThat(upstream.saw(refused)).isFalse();

            String honest = probe("/v1/chat/completions");
            String withAllowedFallback = "{\"model\":\"gpt-4o\",\"fallbacks\":[{\"model\":\"claude\"}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertThat(http.post(honest, TEAM, withAllowedFallback).statusCode()).isEqualTo(200);
            assertThat(upstream.saw(honest)).isTrue();
            assertThat(AUTH.seen).last().satisfies(r -> assertThat(r.models()).containsExactly("gpt-4o", "claude"));
        }

        @Test
        void refusesAnXLiteLlmModelHeaderThatDiffersFromTheBody() throws Exception {
            // LiteLLM's file and batch routes take their model from this header
            String refused = probe("/v1/chat/completions");

            HttpResponse<String> response = http.send(http.request(refused)
                    .header("Authorization", "Bearer " + TEAM).header("x-litellm-model", DENIED)
                    .POST(HttpRequest.BodyPublishers.ofString(chat("gpt-4o"))));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(error(response).get("param").asText()).isEqualTo("model");
            assertThat(upstream.saw(refused)).isFalse();

            String honest = probe("/v1/chat/completions");
            HttpResponse<String> allowed = http.send(http.request(honest)
                    .header("Authorization", "Bearer " + TEAM).header("x-litellm-model", "gpt-4o")
                    .POST(HttpRequest.BodyPublishers.ofString(chat("gpt-4o"))));
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(upstream.saw(honest)).isTrue();
        }

        @Test
        void authorisesTheModelAnXLiteLlmModelHeaderNamesForABodyThatNamesNone() throws Exception {
            // given an operator who forwards LiteLLM's file routes, which take their model from the header
            try (GatewayServer withFiles = startGateway(s -> s.withProxyRoutes(List.of("openai_routes")))) {
                Http client = new Http(withFiles.uri());
                String refused = probe("/v1/files");

                HttpResponse<String> response = client.send(client.request(refused)
                        .header("Authorization", "Bearer " + TEAM).header("x-litellm-model", DENIED)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")));

                assertThat(response.statusCode()).isEqualTo(403);
                assertThat(upstream.saw(refused)).isFalse();
                assertThat(AUTH.seen).last().satisfies(r -> assertThat(r.models()).containsExactly(DENIED));

                String honest = probe("/v1/files");
                assertThat(client.send(client.request(honest).header("Authorization", "Bearer " + TEAM)
                        .header("x-litellm-model", "gpt-4o").POST(HttpRequest.BodyPublishers.ofString("{}")))
                        .statusCode()).isEqualTo(200);
                assertThat(upstream.saw(honest)).isTrue();
            }
        }
    }

    @Nested
    class WhatTheProxyForwards {

        @Test
        void refusesNonLlmRoutesForNonAdmins() throws Exception {
            for (String route : List.of("/key/generate", "/spend/logs", "/global/spend", "/model/new", "/v1/mcp/server", "/sso")) {
                String refused = probe(route);

                HttpResponse<String> response = http.post(refused, TEAM, "{}");

                assertThat(response.statusCode()).as(route).isEqualTo(404);
                assertThat(error(response).get("type").asText()).isEqualTo("not_found_error");
                assertThat(upstream.saw(refused)).as(route).isFalse();
            }

            String honest = probe("/v1/messages");
            assertThat(http.post(honest, TEAM, chat("claude")).statusCode()).isEqualTo(200);
            assertThat(upstream.saw(honest)).isTrue();
            String admin = probe("/key/generate");
            assertThat(http.post(admin, MASTER_KEY, "{}").statusCode()).isEqualTo(200);
            assertThat(upstream.saw(admin)).isTrue();
        }

        @Test
        void refusesByDefaultTheRoutesWhoseModelTheGatewayCannotRead() throws Exception {
            // given LiteLLM routes where the upstream takes the model from somewhere the gateway never sees: a
            // provider pass-through path, a batch's uploaded file, MCP tools, an assistant's thread
            for (String route : List.of("/bedrock/model/" + DENIED + "/invoke", "/openai/v1/chat/completions",
                    "/v1/batches", "/v1/files", "/mcp/tools/call", "/v1/threads/t1/runs", "/a2a/agent-1/message/send")) {
                String refused = probe(route);

                HttpResponse<String> response = http.post(refused, TEAM, "{}");

                assertThat(response.statusCode()).as(route).isEqualTo(404);
                assertThat(upstream.saw(refused)).as(route).isFalse();
            }

            String honest = probe("/v1/embeddings");
            assertThat(http.post(honest, TEAM, "{\"model\":\"gpt-4o\",\"input\":\"hi\"}").statusCode()).isEqualTo(200);
            assertThat(upstream.saw(honest)).isTrue();
        }

        @Test
        void forwardsTheRoutesAnOperatorAddsToProxyRoutes() throws Exception {
            try (GatewayServer wider = startGateway(s -> s.withProxyRoutes(List.of("openai_routes", "/key/info")))) {
                Http client = new Http(wider.uri());
                String added = probe("/key/info");
                String other = probe("/key/generate");

                assertThat(client.get(added, TEAM).statusCode()).isEqualTo(200);
                assertThat(client.post(other, TEAM, "{}").statusCode()).isEqualTo(404);
                assertThat(upstream.saw(added)).isTrue();
                assertThat(upstream.saw(other)).isFalse();
            }
        }

        @Test
        void keepsXForwardedForOnlyFromTrustedProxies() throws Exception {
            String untrusted = probe("/v1/chat/completions");
            http.send(http.request(untrusted).POST(HttpRequest.BodyPublishers.ofString(chat("gpt-4o")))
                    .header("Authorization", "Bearer " + TEAM)
                    .header("X-Forwarded-For", "203.0.113.9")
                    .header("Forwarded", "for=203.0.113.9")
                    .header("X-Real-IP", "203.0.113.9"));

            StubUpstream.Received spoofed = upstream.received().stream()
                    .filter(r -> r.pathAndQuery().equals(untrusted)).findFirst().orElseThrow();
            assertThat(spoofed.headers().get("X-Forwarded-For")).containsExactly("127.0.0.1");
            assertThat(spoofed.headers().containsKey("Forwarded")).isFalse();
            assertThat(spoofed.headers().containsKey("X-real-ip")).isFalse();

            try (GatewayServer behindProxy = startGateway(s -> s.withTrustedProxies(List.of("127.0.0.0/8")))) {
                Http client = new Http(behindProxy.uri());
                String trusted = probe("/v1/chat/completions");
                client.send(client.request(trusted).POST(HttpRequest.BodyPublishers.ofString(chat("gpt-4o")))
                        .header("Authorization", "Bearer " + TEAM)
                        .header("X-Forwarded-For", "203.0.113.9"));

                StubUpstream.Received kept = upstream.received().stream()
                        .filter(r -> r.pathAndQuery().equals(trusted)).findFirst().orElseThrow();
                assertThat(kept.headers().get("X-Forwarded-For")).containsExactly("203.0.113.9, 127.0.0.1");
            }
        }
    }

    @Nested
    class ForwardAuthReadsOneRoute {

        private HttpRequest.Builder auth(Http client) {
            return client.request("/auth").GET().header("Authorization", "Bearer " + TEAM);
        }

        @Test
        void refusesForwardAuthWhenForwardedUriAndOriginalUriDisagree() throws Exception {
            // nginx sets X-Original-URI from the real request; the client adds its own X-Forwarded-Uri
            HttpResponse<String> response = http.send(auth(http)
                    .header("X-Original-URI", "/key/generate")
                    .header("X-Forwarded-Uri", "/"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(error(response).get("type").asText()).isEqualTo("bad_request_error");
            assertThat(AUTH.seen).isEmpty();

            HttpResponse<String> honest = http.send(auth(http)
                    .header("X-Original-URI", "/v1/chat/completions")
                    .header("X-Forwarded-Uri", "/v1/chat/completions"));
            assertThat(honest.statusCode()).isEqualTo(200);
        }

        @Test
        void readsTheRouteOnlyFromTheConfiguredHeader() throws Exception {
            // The default reads X-Original-URI; a client's X-Forwarded-Uri alone is no route.
            HttpResponse<String> response = http.send(auth(http).header("X-Forwarded-Uri", "/v1/chat/completions"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(AUTH.seen).isEmpty();

            assertThat(http.send(auth(http).header("X-Original-URI", "/v1/chat/completions")).statusCode())
                    .isEqualTo(200);
        }

        @Test
        void refusesEnvoysPathWhenAHeaderNamesAnotherRoute() throws Exception {
            try (GatewayServer envoy = startGateway(
                    s -> s.withForwardAuthRoute(io.claimgate.gateway.config.RouteSource.PATH))) {
                Http client = new Http(envoy.uri());

                HttpResponse<String> response = client.send(client.request("/auth/key/generate").GET()
                        .header("Authorization", "Bearer " + TEAM).header("X-Original-URI", "/"));

                assertThat(response.statusCode()).isEqualTo(400);
                assertThat(AUTH.seen).isEmpty();
                assertThat(client.get("/auth/v1/chat/completions", TEAM).statusCode()).isEqualTo(200);
            }
        }

        @Test
        void refusesXModelThatDiffersFromTheModelInTheRoute() throws Exception {
            HttpResponse<String> response = http.send(auth(http)
                    .header("X-Original-URI", "/openai/deployments/" + DENIED + "/chat/completions")
                    .header("X-Model", "gpt-4o"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(error(response).get("param").asText()).isEqualTo("model");
            assertThat(AUTH.seen).isEmpty();

            HttpResponse<String> honest = http.send(auth(http)
                    .header("X-Original-URI", "/openai/deployments/gpt-4o/chat/completions")
                    .header("X-Model", "gpt-4o"));
            assertThat(honest.statusCode()).isEqualTo(200);
            assertThat(AUTH.seen).singleElement().satisfies(r -> assertThat(r.models()).containsExactly("gpt-4o"));
        }

        @Test
        void authorisesTheModelInTheForwardedQueryString() throws Exception {
            HttpResponse<String> response = http.send(auth(http)
                    .header("X-Original-URI", "/v1/chat/completions?model=" + DENIED));

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(error(response).get("type").asText()).isEqualTo("team_model_access_denied");

            assertThat(http.send(auth(http).header("X-Original-URI", "/v1/chat/completions?model=gpt-4o"))
                    .statusCode()).isEqualTo(200);
        }

        @Test
        void refusesATeamHeaderSentTwiceWithDifferentValues() throws Exception {
            HttpResponse<String> response = http.send(auth(http)
                    .header("X-Original-URI", "/v1/chat/completions")
                    .header("x-litellm-team-id", "research")
                    .header("x-litellm-team-id", "finance"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(AUTH.seen).isEmpty();

            assertThat(http.send(auth(http).header("X-Original-URI", "/v1/chat/completions")
                    .header("x-litellm-team-id", "research")).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Readiness {

        @Test
        void answersReadinessWhileACheckHangsReportingItUnavailable() throws Exception {
            CountDownLatch never = new CountDownLatch(1);
            ReadinessCheck hanging = new ReadinessCheck("key_source", () -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            });
            try (GatewayServer stuck = startGateway(UnaryOperator.identity(),
                    List.of(ReadinessCheck.database(database.dataSource(), Duration.ofSeconds(2)), hanging))) {
                HttpResponse<String> response = new Http(stuck.uri()).get("/health/readiness", null);

                assertThat(response.statusCode()).isEqualTo(503);
                JsonNode checks = Http.json(response).get("checks");
                assertThat(checks.get("key_source").asText()).isEqualTo("unavailable");
                assertThat(checks.get("database").asText()).isEqualTo("ok");
            } finally {
                never.countDown();
            }
        }
    }

}
