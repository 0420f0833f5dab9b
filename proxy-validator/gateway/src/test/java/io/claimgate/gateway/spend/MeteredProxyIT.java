package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.gateway.GatewayServer;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.config.SpendConfig;
import io.claimgate.gateway.management.ObjectChangeListener;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.store.EmbeddedDatabase;
import io.claimgate.gateway.support.Http;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.PostgresDirectory;
import io.claimgate.validator.store.TestPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reverse proxy meters what it forwards, over real HTTP against a real PostgreSQL: usage read from every answer
 * shape as it streams, cost from the upstream's header or the model's prices, spend landing in LiteLLM's tables and
 * then refusing an over-budget team, and rate limits refusing with 429 in LiteLLM's shape.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MeteredProxyIT {

    /** gpt-4o's prices in this test: 10 prompt + 5 completion tokens cost 0.02. */
    private static final double INPUT = 0.001;
    private static final double OUTPUT = 0.002;

    @TempDir
    static Path dataDirectory;

    private static EmbeddedDatabase server;
    private static Database database;
    private static ScriptedUpstream upstream;
    private static GatewayServer gateway;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedDatabase.start(dataDirectory, 0);
        database = Database.open(server.jdbcUrl());
        upstream = new ScriptedUpstream();
        SpendConfig spend = SpendConfig.defaults().withFlushInterval(Duration.ofMillis(100))
                .withPrices(ModelPrices.of(Map.of("gpt-4o", new ModelPrice(INPUT, OUTPUT))));
        GatewaySettings settings = GatewaySettings.defaults().withListener("127.0.0.1", 0)
                .withUpstream(upstream.uri(), "sk-upstream").withSpend(spend);
        GatewayConfig config = new GatewayConfig(true, JwtAuthSettings.defaults(), null, null, List.of("gpt-4o"),
                settings, List.of());
        gateway = new GatewayServer(config, new DirectoryAuthenticator(new PostgresDirectory(database.dataSource())),
                database.dataSource(), ObjectChangeListener.NONE, List.of(), new GatewayMetrics()).start();
        http = new Http(gateway.uri());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        database.close();
        server.close();
    }

    private static String newTeam(String limits) {
        String team = "team-" + UUID.randomUUID();
        TestPostgres.execute(server.jdbcUrl(), "INSERT INTO \"LiteLLM_TeamTable\" (team_id, models" + limits.split("=")[0]
                + ") VALUES ('" + team + "', '{}'" + (limits.isEmpty() ? "" : ", " + limits.split("=")[1]) + ")");
        return team;
    }

    private static String newTeam() {
        return newTeam("");
    }

    private static HttpResponse<String> post(String path, String team, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = http.request(path).header("Authorization", "Bearer "
                + DirectoryAuthenticator.token(team)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request);
    }

    private static String chat(boolean stream) {
        return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
                + (stream ? ",\"stream\":true" : "") + "}";
    }

    /** The team's spend log rows, once {@code count} of them have been written (polled, the ledger flushes often). */
    private static List<Map<String, Object>> logsOf(String team, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<Map<String, Object>> rows;
        do {
            rows = query("SELECT request_id, call_type, model, \"user\", team_id, prompt_tokens, completion_tokens, "
                    + "total_tokens, spend, metadata::text AS metadata FROM \"LiteLLM_SpendLogs\" WHERE team_id = ?",
                    team);
            if (rows.size() >= count) {
                return rows;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return rows;
    }

    private static double teamSpend(String team) throws SQLException {
        return ((Number) query("SELECT spend FROM \"LiteLLM_TeamTable\" WHERE team_id = ?", team).get(0)
                .get("spend")).doubleValue();
    }

    static List<Map<String, Object>> query(String sql, String parameter) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (r.next()) {
                    Map<String, Object> row = new java.util.HashMap<>();
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        row.put(r.getMetaData().getColumnLabel(i), r.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    @Test
    void recordsTheUsageOfAJsonAnswerAtTheModelsPrices() throws Exception {
        // given a team
        String team = newTeam();

        // when it calls a chat completion answered with usage 10/5/15
        HttpResponse<String> answer = post("/v1/chat/completions", team, chat(false));

        // then the answer passed, and one spend row holds its tokens and their cost, booked to the team and user
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("x-litellm-response-cost")).isEmpty();
        List<Map<String, Object>> rows = logsOf(team, 1);
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("call_type", "acompletion").containsEntry("model", "gpt-4o")
                    .containsEntry("user", "user-" + team).containsEntry("prompt_tokens", 10)
                    .containsEntry("completion_tokens", 5).containsEntry("total_tokens", 15);
            assertThat((Double) row.get("spend")).isCloseTo(10 * INPUT + 5 * OUTPUT, within());
            assertThat((String) row.get("metadata")).contains("claimgate");
        });
        assertThat(teamSpend(team)).isCloseTo(0.02, within());
    }

    @Test
    void asksAStreamedChatCompletionForItsUsageAndRecordsIt() throws Exception {
        // given a team and a streamed request that does not ask for its usage
        String team = newTeam();

        // when it is forwarded
        HttpResponse<String> answer = post("/v1/chat/completions", team, chat(true));

        // then the upstream was asked for the usage, the client received the usage chunk, and the stream's usage
        // (split across network writes) was recorded
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(upstream.bodies).anySatisfy(body -> assertThat(body).isEqualTo(
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true}}"));
        assertThat(answer.body()).contains("\"usage\":{\"prompt_tokens\":11,").endsWith("data: [DONE]\n\n");
        assertThat(logsOf(team, 1)).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("prompt_tokens", 11).containsEntry("completion_tokens", 7)
                    .containsEntry("total_tokens", 18);
            assertThat((Double) row.get("spend")).isCloseTo(11 * INPUT + 7 * OUTPUT, within());
        });
    }

    @Test
    void forwardsAStreamThatAskedForItsUsageUnchanged() throws Exception {
        // given a streamed request that asks for its usage itself, with its own spacing
        String team = newTeam();
        String body = "{ \"model\": \"gpt-4o\", \"stream\": true, \"stream_options\": {\"include_usage\": true},"
                + " \"messages\": [] }";

        // when it is forwarded
        HttpResponse<String> answer = post("/v1/chat/completions", team, body);

        // then every byte reached the upstream as sent, and the usage was recorded
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(upstream.bodies).contains(body);
        assertThat(logsOf(team, 1)).singleElement().satisfies(row ->
                assertThat(row).containsEntry("prompt_tokens", 11).containsEntry("completion_tokens", 7));
    }

    @Test
    void recordsTheUsageOfAnAnthropicMessagesAnswer() throws Exception {
        // given a team
        String team = newTeam();

        // when it calls Anthropic's messages route, answered with input 20 and output 4
        HttpResponse<String> answer = post("/v1/messages", team, "{\"model\":\"gpt-4o\",\"max_tokens\":10,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        // then the counts are read in Anthropic's terms
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(logsOf(team, 1)).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("call_type", "anthropic_messages").containsEntry("prompt_tokens", 20)
                    .containsEntry("completion_tokens", 4).containsEntry("total_tokens", 24);
            assertThat((Double) row.get("spend")).isCloseTo(20 * INPUT + 4 * OUTPUT, within());
        });
    }

    @Test
    void recordsAnAnswerWithoutUsageAtZeroTokensAndZeroCost() throws Exception {
        // given a team
        String team = newTeam();

        // when the upstream answers without any usage
        HttpResponse<String> answer = post("/v1/embeddings", team, "{\"model\":\"gpt-4o\",\"input\":\"hi\"}");

        // then the request is recorded, with nothing guessed
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(logsOf(team, 1)).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("call_type", "aembedding").containsEntry("prompt_tokens", 0)
                    .containsEntry("completion_tokens", 0).containsEntry("total_tokens", 0);
            assertThat((Double) row.get("spend")).isZero();
        });
    }

    @Test
    void takesTheCostFromALiteLlmUpstreamsHeaderAndPassesItOn() throws Exception {
        // given an upstream LiteLLM proxy that reports the answer's cost
        String team = newTeam();

        // when the team calls
        HttpResponse<String> answer = post("/v1/chat/completions", team, chat(false), "x-test-cost", "0.5");

        // then the client sees the cost, and the upstream's figure is booked rather than the prices'
        assertThat(answer.headers().firstValue("x-litellm-response-cost")).hasValue("0.5");
        assertThat(logsOf(team, 1)).singleElement().satisfies(row ->
                assertThat((Double) row.get("spend")).isCloseTo(0.5, within()));
        assertThat(teamSpend(team)).isCloseTo(0.5, within());
        // and no id of the gateway's reached the upstream as LiteLLM's call id, which LiteLLM would book under
        assertThat(upstream.callIds).isEmpty();
    }

    @Test
    void doesNotRecordAnAnswerTheUpstreamFailed() throws Exception {
        // given a team whose request the upstream fails
        String team = newTeam();
        HttpResponse<String> failed = post("/v1/chat/completions", team, "{\"model\":\"gpt-4o\",\"x\":\"fail\"}");
        assertThat(failed.statusCode()).isEqualTo(500);

        // when a successful request follows
        post("/v1/chat/completions", team, chat(false));

        // then only the success is booked, as LiteLLM's spend logs hold successes only
        assertThat(logsOf(team, 1)).hasSize(1);
        Thread.sleep(300);
        assertThat(logsOf(team, 1)).hasSize(1);
    }

    @Test
    void refusesATeamOnceItsRecordedSpendPassesItsBudget() throws Exception {
        // given a team with a budget of 0.05 and answers costing 0.02 each
        String team = newTeam(", max_budget=0.05");

        // when it spends 0.06 in three answers, and the spend has been written
        for (int i = 0; i < 3; i++) {
            assertThat(post("/v1/chat/completions", team, chat(false)).statusCode()).isEqualTo(200);
        }
        logsOf(team, 3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (teamSpend(team) < 0.059 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        // then its next request is refused with LiteLLM's budget message, and never reaches the upstream
        int seen = upstream.bodies.size();
        HttpResponse<String> refused = post("/v1/chat/completions", team, chat(false));
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = Http.json(refused).get("error");
        assertThat(error.get("type").asText()).isEqualTo("budget_exceeded");
        assertThat(error.get("message").asText()).contains("Budget has been exceeded! Team=" + team);
        assertThat(upstream.bodies).hasSize(seen);
    }

    @Test
    void enforcesATeamsRequestsPerMinuteWith429AndLiteLlmsHeaders() throws Exception {
        // given a team allowed 2 requests a minute
        String team = newTeam(", rpm_limit=2");

        // when it sends three
        HttpResponse<String> first = post("/v1/chat/completions", team, chat(false));
        HttpResponse<String> second = post("/v1/chat/completions", team, chat(false));
        int seen = upstream.bodies.size();
        HttpResponse<String> third = post("/v1/chat/completions", team, chat(false));

        // then the first two pass with the remaining-limit headers
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("1");
        assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).hasValue("2");
        assertThat(first.headers().firstValue("x-ratelimit-team-remaining-requests")).hasValue("1");
        assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        // and the third is refused before the upstream, in LiteLLM's shape
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(upstream.bodies).hasSize(seen);
        JsonNode error = Http.json(third).get("error");
        assertThat(error.get("type").asText()).isEqualTo("throttling_error");
        assertThat(error.get("code").asText()).isEqualTo("429");
        assertThat(error.get("param").isNull()).isTrue();
        assertThat(error.get("message").asText()).startsWith("Rate limit exceeded for team: " + team
                + ". Limit type: requests. Current limit: 2, Remaining: 0. Limit resets at: ");
        assertThat(third.headers().firstValue("retry-after")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertThat(third.headers().firstValue("rate_limit_type")).hasValue("requests");
        // and the refused request was not booked
        assertThat(logsOf(team, 2)).hasSize(2);
    }

    @Test
    void enforcesATeamsPerModelRequestLimitFromItsMetadataAsLiteLlmsModelPerTeam() throws Exception {
        // given a team whose LiteLLM metadata allows gpt-4o once a minute (and another model never)
        String team = newTeam(", metadata='{\"model_rpm_limit\": {\"gpt-4o\": 1, \"gpt-4o-mini\": 0}}'");

        // when it sends two gpt-4o requests
        HttpResponse<String> first = post("/v1/chat/completions", team, chat(false));
        int seen = upstream.bodies.size();
        HttpResponse<String> second = post("/v1/chat/completions", team, chat(false));

        // then the first passes, the other model's limit notwithstanding, with LiteLLM's model_per_team headers
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-model_per_team-remaining-requests")).hasValue("0");
        assertThat(first.headers().firstValue("x-ratelimit-model_per_team-limit-requests")).hasValue("1");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        // and the second is refused before the upstream, in LiteLLM's shape and words
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(upstream.bodies).hasSize(seen);
        JsonNode error = Http.json(second).get("error");
        assertThat(error.get("type").asText()).isEqualTo("throttling_error");
        assertThat(error.get("code").asText()).isEqualTo("429");
        assertThat(error.get("message").asText()).startsWith("Rate limit exceeded for model_per_team: " + team
                + ":gpt-4o. Limit type: requests. Current limit: 1, Remaining: 0. Limit resets at: ");
        assertThat(second.headers().firstValue("retry-after")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertThat(second.headers().firstValue("rate_limit_type")).hasValue("requests");
    }

    @Test
    void countsAnAnswersTokensAgainstItsModelsTeamTokenLimit() throws Exception {
        // given a team whose metadata allows gpt-4o 5 tokens a minute, and a first answer of 5 output tokens
        String team = newTeam(", metadata='{\"model_tpm_limit\": {\"gpt-4o\": \"5\"}}'");
        HttpResponse<String> first = post("/v1/chat/completions", team, chat(false));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-model_per_team-remaining-tokens")).hasValue("5");
        assertThat(first.headers().firstValue("x-ratelimit-model_per_team-limit-tokens")).hasValue("5");
        logsOf(team, 1);

        // when it asks for gpt-4o again once that answer has been counted (its tokens count just after its spend is
        // recorded, so a request may slip in between; it would only add tokens)
        HttpResponse<String> second = post("/v1/chat/completions", team, chat(false));
        for (int attempt = 0; attempt < 5 && second.statusCode() == 200; attempt++) {
            second = post("/v1/chat/completions", team, chat(false));
        }

        // then the model's token limit refuses it
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(Http.json(second).get("error").get("message").asText()).startsWith("Rate limit exceeded for "
                + "model_per_team: " + team + ":gpt-4o. Limit type: tokens. Current limit: 5, Remaining: 0.");
        assertThat(second.headers().firstValue("rate_limit_type")).hasValue("tokens");
    }

    @Test
    void refusesEveryModelOfATeamWhoseModelLimitsCannotBeReadRatherThanLettingThemThroughUnlimited()
            throws Exception {
        // given a team whose model_rpm_limit is not a map of models to limits
        String team = newTeam(", metadata='{\"model_rpm_limit\": \"ten\"}'");
        int seen = upstream.bodies.size();

        // when it asks for a model
        HttpResponse<String> refused = post("/v1/chat/completions", team, chat(false));

        // then it is refused before the upstream, the limit read as 0
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(upstream.bodies).hasSize(seen);
        assertThat(Http.json(refused).get("error").get("message").asText()).startsWith("Rate limit exceeded for "
                + "model_per_team: " + team + ":gpt-4o. Limit type: requests. Current limit: 0, Remaining: 0.");
    }

    @Test
    void appliesATeamsNewModelLimitOnceTheChangeIsAnnounced() throws Exception {
        // given a team whose gpt-4o limit is known to the gateway, with one request left
        String team = newTeam(", metadata='{\"model_rpm_limit\": {\"gpt-4o\": 2}}'");
        assertThat(post("/v1/chat/completions", team, chat(false)).statusCode()).isEqualTo(200);

        // when the team's metadata stops gpt-4o, and the change is announced (as a change notice does)
        TestPostgres.execute(server.jdbcUrl(), "UPDATE \"LiteLLM_TeamTable\" SET metadata = "
                + "'{\"model_rpm_limit\": {\"gpt-4o\": 0}}' WHERE team_id = '" + team + "'");
        gateway.forgetCachedLimits();

        // then the next gpt-4o request is refused under the new limit
        HttpResponse<String> refused = post("/v1/chat/completions", team, chat(false));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Http.json(refused).get("error").get("message").asText()).contains("Current limit: 0");
    }

    @Test
    void holdsAParallelSlotUntilTheAnswerEndsAndFreesItAfterwards() throws Exception {
        // given a team allowed one request in flight, with one held by the upstream
        String team = newTeam(", max_parallel_requests=1");
        CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1/chat/completions", team, "{\"model\":\"gpt-4o\",\"x\":\"hold\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(upstream.awaitHolding()).isTrue();

        // when a second request arrives meanwhile
        HttpResponse<String> parallel = post("/v1/chat/completions", team, chat(false));

        // then it is refused, and once the first answer ended a new one is admitted
        assertThat(parallel.statusCode()).isEqualTo(429);
        assertThat(Http.json(parallel).get("error").get("message").asText())
                .contains("Limit type: max_parallel_requests");
        upstream.release();
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(post("/v1/chat/completions", team, chat(false)).statusCode()).isEqualTo(200);
    }

    @Test
    void freesAParallelSlotWhenTheUpstreamFails() throws Exception {
        // given a team allowed one request in flight
        String team = newTeam(", max_parallel_requests=1");

        // when the upstream fails its request
        assertThat(post("/v1/chat/completions", team, "{\"model\":\"gpt-4o\",\"x\":\"fail\"}").statusCode())
                .isEqualTo(500);

        // then the slot is free again
        assertThat(post("/v1/chat/completions", team, chat(false)).statusCode()).isEqualTo(200);
    }

    @Test
    void freesAParallelSlotWhenTheClientGoesAwayMidAnswer() throws Exception {
        // given a team allowed one request in flight, whose client sent a request the upstream holds
        String team = newTeam(", max_parallel_requests=1");
        String body = "{\"model\":\"gpt-4o\",\"x\":\"hold\"}";
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", gateway.uri().getPort())) {
            client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\n"
                    + "Authorization: Bearer " + DirectoryAuthenticator.token(team) + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            assertThat(upstream.awaitHolding()).isTrue();
            assertThat(post("/v1/chat/completions", team, chat(false)).statusCode()).isEqualTo(429);
        }

        // when the client has gone away and the upstream answers
        upstream.release();

        // then the slot is freed and the team is served again
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int status;
        do {
            status = post("/v1/chat/completions", team, chat(false)).statusCode();
        } while (status == 429 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }

    @Test
    void recordsAStreamTheClientAbandonsBeforeItsEnd() throws Exception {
        // given a streamed answer, priced by the upstream, whose client hangs up after the first chunk
        String team = newTeam();
        String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"x\":\"hold_stream\"}";
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", gateway.uri().getPort())) {
            client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\n"
                    + "Authorization: Bearer " + DirectoryAuthenticator.token(team) + "\r\nx-test-cost: 0.5\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            assertThat(upstream.awaitHolding()).isTrue();
            String firstBytes = new String(client.getInputStream().readNBytes(12),
                    java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(firstBytes).startsWith("HTTP/1.1 200");
        }

        // when the upstream goes on after the client left
        upstream.release();

        // then the answer is booked all the same: hanging up early does not escape the budget
        assertThat(logsOf(team, 1)).singleElement().satisfies(row ->
                assertThat((Double) row.get("spend")).isCloseTo(0.5, within()));
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
