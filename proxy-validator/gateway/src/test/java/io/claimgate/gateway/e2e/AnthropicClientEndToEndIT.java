package io.claimgate.gateway.e2e;

import static io.claimgate.gateway.e2e.ErrorResponses.assertError;
import static io.claimgate.gateway.e2e.SuiteServices.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.support.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * An Anthropic client (Claude Code and the Anthropic SDKs) sends its key in {@code x-api-key}, not
 * {@code Authorization}, to {@code /v1/messages}. LiteLLM reads a key from that header, so the gateway does too: a
 * Keycloak token there is the caller's credential, checked like any other.
 */
class AnthropicClientEndToEndIT extends EndToEndTest {

    @Override
    protected void givenTeams() throws Exception {
        createTeam("research", "claude-3-haiku");
    }

    private HttpRequest.Builder messages(String apiKey, String model) {
        return gateway.http().request("/v1/messages")
                .header("x-api-key", apiKey)
                .header("anthropic-version", "2023-06-01")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":64,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"));
    }

    @Test
    void anthropicClientWithTheTokenInXApiKeyReachesTheUpstreamAsItsTeam() throws Exception {
        // given alice's token where Claude Code puts its key
        HttpResponse<String> response = gateway.http().send(messages(suite.token(ALICE), "claude-3-haiku"));

        // then the upstream answered in Anthropic's shape and heard alice as a member of research
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.json(response).path("type").asText()).isEqualTo("message");
        assertThat(Http.json(response).path("content").path(0).path("text").asText())
                .contains("user=" + suite.subject(ALICE))
                .contains("team=research");
    }

    @Test
    void anthropicClientIsRefusedAModelItsTeamMayNotUse() throws Exception {
        HttpResponse<String> response = gateway.http().send(messages(suite.token(ALICE), "gpt-4o-mini"));

        assertError(response, 403, "team_model_access_denied");
    }

    @Test
    void anotherCredentialBesideTheTokenIsRefused() throws Exception {
        // given a client that sends the token for the gateway and a different key meant for the upstream
        HttpResponse<String> response = gateway.http().send(messages(suite.token(ALICE), "claude-3-haiku")
                .header("Authorization", "Bearer sk-some-upstream-key"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    }

    @Test
    void aGarbageKeyInXApiKeyIsRefusedAsAnyBadToken() throws Exception {
        HttpResponse<String> response = gateway.http().send(messages("sk-ant-not-a-token", "claude-3-haiku"));

        assertError(response, 401, "auth_error");
    }
}
