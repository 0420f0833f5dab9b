package io.claimgate.gateway.e2e;

import static io.claimgate.gateway.e2e.ErrorResponses.assertError;
import static io.claimgate.gateway.e2e.SuiteServices.ADMIN;
import static io.claimgate.gateway.e2e.SuiteServices.ALICE;
import static io.claimgate.gateway.e2e.SuiteServices.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.keycloak.testing.KeycloakServer;
import io.claimgate.gateway.support.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Team members of the demo realm call {@code /chat/completions} through the gateway to the DEMO upstream: Keycloak's
 * tokens with the extension's claims, the gateway's checks against the teams in PostgreSQL, and what reaches the
 * upstream.
 */
class ChatCompletionsEndToEndIT extends EndToEndTest {

    @Override
    protected void givenTeams() throws Exception {
        createTeam("research", "gpt-4o-mini", "claude-3-haiku");
        createTeam("support", "gpt-4o-mini");
    }

    /** Every test starts from the demo teams as created: not blocked, no budget, nothing spent. */
    @BeforeEach
    void resetTeams() throws Exception {
        gateway.sql("UPDATE \"LiteLLM_TeamTable\" SET spend = 0");
        for (String team : List.of("research", "support")) {
            HttpResponse<String> reset = gateway.manage("/team/update", "{\"team_id\":\"" + team
                    + "\",\"blocked\":false,\"max_budget\":null}");
            assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        }
    }

    @Test
    void teamMemberReachesTheUpstreamWithAnAllowedModelAndItsIdentity() throws Exception {
        // given alice, whose only team (research) may use gpt-4o-mini
        String token = suite.token(ALICE);

        // when
        HttpResponse<String> response = gateway.chat(token, "gpt-4o-mini");

        // then the DEMO upstream answered, and the identity headers the gateway sent reached it
        assertThat(upstreamReply(response))
                .contains("user=" + suite.subject(ALICE))
                .contains("email=alice@example.com")
                .contains("team=research")
                .contains("role=team");
        JsonNode body = Http.json(response);
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void identityHeadersSentByTheCallerAreReplacedByTheGatewaysOwn() throws Exception {
        // given alice, claiming another user, team and the admin role in the headers the upstream trusts
        HttpRequest.Builder request = gateway.chatRequest(suite.token(ALICE), "gpt-4o-mini", false)
                .header("X-Auth-Request-User", "someone-else")
                .header("X-Auth-Request-Team", "support")
                .header("X-Auth-Request-Role", "proxy_admin");

        // when
        HttpResponse<String> response = gateway.http().send(request);

        // then the upstream hears only what the token says
        assertThat(upstreamReply(response))
                .contains("user=" + suite.subject(ALICE))
                .contains("team=research")
                .contains("role=team")
                .doesNotContain("someone-else")
                .doesNotContain("support")
                .doesNotContain("proxy_admin");
    }

    @Test
    void teamMemberIsRefusedAModelTheTeamMayNotUse() throws Exception {
        // given alice, whose team research has no llama-3-70b (a model the proxy has)
        String token = suite.token(ALICE);

        // when
        HttpResponse<String> response = gateway.chat(token, "llama-3-70b");

        // then
        JsonNode error = assertError(response, 403, "team_model_access_denied");
        assertThat(error.path("param").asText()).isEqualTo("model");
        assertThat(error.path("message").asText()).contains("llama-3-70b");
    }

    @Test
    void memberOfTwoTeamsIsCheckedAgainstTheActiveTeamAndMayPickTheOtherByHeader() throws Exception {
        // given bob, whose active team is support (gpt-4o-mini only) and who is also in research
        String token = suite.token(BOB);

        // when he asks for claude-3-haiku, first as support, then naming research in LiteLLM's team header
        HttpResponse<String> asSupport = gateway.chat(token, "claude-3-haiku");
        HttpResponse<String> asResearch = gateway.http().send(gateway.chatRequest(token, "claude-3-haiku", false)
                .header("x-litellm-team-id", "research"));

        // then
        assertError(asSupport, 403, "team_model_access_denied");
        assertThat(upstreamReply(asResearch)).contains("team=research");
    }

    @Test
    void teamMemberListsTheProxysModelsTheTeamMayUse() throws Exception {
        // given alice's team research: two of the three models in the shipped config's model_list
        String token = suite.token(ALICE);

        // when
        HttpResponse<String> response = gateway.http().get("/v1/models", token);

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.json(response).path("data").findValuesAsText("id"))
                .containsExactly("gpt-4o-mini", "claude-3-haiku");
    }

    @Test
    void streamedResponsePassesThroughAsServerSentEvents() throws Exception {
        // given
        HttpRequest.Builder request = gateway.chatRequest(suite.token(ALICE), "gpt-4o-mini", true);

        // when
        HttpResponse<Stream<String>> response = gateway.http().client()
                .send(request.build(), HttpResponse.BodyHandlers.ofLines());

        // then the events arrive as the DEMO upstream wrote them, one chunk per word, ending with [DONE]
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> events;
        try (Stream<String> lines = response.body()) {
            events = lines.filter(line -> !line.isEmpty()).collect(Collectors.toList());
        }
        assertThat(events).allSatisfy(line -> assertThat(line).startsWith("data: "));
        assertThat(events).last().isEqualTo("data: [DONE]");
        List<String> chunks = events.subList(0, events.size() - 1);
        assertThat(chunks).hasSizeGreaterThan(5);
        String text = chunks.stream()
                .map(line -> KeycloakServer.parseJson(line.substring("data: ".length())))
                .map(chunk -> chunk.path("choices").path(0).path("delta").path("content").asText())
                .collect(Collectors.joining());
        assertThat(text).contains("team=research").contains("gpt-4o-mini");
    }

    @Test
    void blockedTeamIsRefusedAtOnceAndServedAgainWhenUnblocked() throws Exception {
        // given alice's team research, served before it is blocked (so the gateway has it cached)
        String token = suite.token(ALICE);
        assertThat(gateway.chat(token, "gpt-4o-mini").statusCode()).isEqualTo(200);

        // when an admin blocks it
        HttpResponse<String> block = gateway.manage("/team/block", "{\"team_id\":\"research\"}");
        HttpResponse<String> whileBlocked = gateway.chat(token, "gpt-4o-mini");
        // and unblocks it
        HttpResponse<String> unblock = gateway.manage("/team/unblock", "{\"team_id\":\"research\"}");
        HttpResponse<String> afterUnblock = gateway.chat(token, "gpt-4o-mini");

        // then each change applied to the very next request
        assertThat(block.statusCode()).as(block.body()).isEqualTo(200);
        JsonNode error = assertError(whileBlocked, 403, "auth_error");
        assertThat(error.path("message").asText()).contains("research").contains("blocked");
        assertThat(unblock.statusCode()).as(unblock.body()).isEqualTo(200);
        assertThat(afterUnblock.statusCode()).as(afterUnblock.body()).isEqualTo(200);
    }

    @Test
    void teamOverItsBudgetIsRefusedWithBudgetExceeded() throws Exception {
        // given bob's active team support has spent 25 (as LiteLLM's spend tracking writes it) ...
        String token = suite.token(BOB);
        assertThat(gateway.chat(token, "gpt-4o-mini").statusCode()).isEqualTo(200);
        gateway.sql("UPDATE \"LiteLLM_TeamTable\" SET spend = 25 WHERE team_id = 'support'");
        // ... and an admin sets its budget to 20
        HttpResponse<String> update = gateway.manage("/team/update",
                "{\"team_id\":\"support\",\"max_budget\":20}");

        // when
        HttpResponse<String> response = gateway.chat(token, "gpt-4o-mini");

        // then
        assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
        JsonNode error = assertError(response, 400, "budget_exceeded");
        assertThat(error.path("message").asText()).contains("Budget has been exceeded! Team=support")
                .contains("Max budget: 20");
    }

    @Test
    void proxyAdminTokenIsRefusedOnChatCompletionsByDefault() throws Exception {
        // given the realm's admin, whose token carries the litellm_proxy_admin scope
        String token = suite.token(ADMIN);

        // when
        HttpResponse<String> response = gateway.chat(token, "gpt-4o-mini");

        // then as in LiteLLM, admins are limited to the admin routes unless admin_allowed_routes says otherwise
        assertError(response, 403, "auth_error");
    }
}
