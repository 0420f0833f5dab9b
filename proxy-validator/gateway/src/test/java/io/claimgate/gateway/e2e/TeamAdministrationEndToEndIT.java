package io.claimgate.gateway.e2e;

import static io.claimgate.gateway.e2e.ErrorResponses.assertError;
import static io.claimgate.gateway.e2e.SuiteServices.ADMIN;
import static io.claimgate.gateway.e2e.SuiteServices.ALICE;
import static io.claimgate.gateway.e2e.SuiteServices.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.gateway.support.Http;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Admins create the realm's teams through the management API of a gateway with an empty database: with the master key
 * and with a Keycloak token carrying the proxy-admin scope. Each test creates a different team, so the order of the
 * tests does not matter.
 */
class TeamAdministrationEndToEndIT extends EndToEndTest {

    @Test
    void masterKeyCreatesARealmTeamWhoseMembersAreServedAtOnce() throws Exception {
        // given alice, in the realm's group /teams/research, and no such team in the gateway's database yet
        String token = suite.token(ALICE);
        HttpResponse<String> beforeTeam = gateway.chat(token, "gpt-4o-mini");

        // when the master key creates the team with its models
        HttpResponse<String> created = gateway.manage("/team/new", "{\"team_id\":\"research\","
                + "\"team_alias\":\"Research\",\"models\":[\"gpt-4o-mini\",\"claude-3-haiku\"]}");
        HttpResponse<String> info = gateway.read("/team/info", "team_id", "research");
        HttpResponse<String> afterTeam = gateway.chat(token, "claude-3-haiku");

        // then the unknown team was LiteLLM's 404, and the new one applies to the very next request
        JsonNode error = assertError(beforeTeam, 404, "not_found_error");
        assertThat(error.path("message").asText()).contains("research").contains("/team/new");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(Http.json(created).path("team_id").asText()).isEqualTo("research");
        assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
        assertThat(texts(Http.json(info).path("team_info").path("models")))
                .containsExactly("gpt-4o-mini", "claude-3-haiku");
        assertThat(upstreamReply(afterTeam)).contains("team=research");
    }

    @Test
    void keycloakProxyAdminCreatesATeamWithItsOwnToken() throws Exception {
        // given the realm's admin user: role proxy-admin, so the extension adds the litellm_proxy_admin scope
        String adminToken = suite.token(ADMIN);

        // when
        HttpResponse<String> created = gateway.http().post("/team/new", adminToken,
                "{\"team_id\":\"support\",\"team_alias\":\"Support\",\"models\":[\"gpt-4o-mini\"]}");
        HttpResponse<String> list = gateway.http().get("/team/list", adminToken);
        HttpResponse<String> memberCall = gateway.chat(suite.token(BOB), "gpt-4o-mini");

        // then the team exists and bob, whose active team is support, is served
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        List<String> teamIds = new ArrayList<>();
        Http.json(list).forEach(team -> teamIds.add(team.path("team_id").asText()));
        assertThat(teamIds).contains("support");
        assertThat(upstreamReply(memberCall)).contains("team=support");
    }

    @Test
    void teamMemberCannotCreateTeams() throws Exception {
        // given alice, a team member without the admin scope
        String token = suite.token(ALICE);

        // when
        HttpResponse<String> response = gateway.http().post("/team/new", token,
                "{\"team_id\":\"alices-own-team\",\"models\":[\"llama-3-70b\"]}");

        // then she is refused and nothing was created
        assertError(response, 403, "auth_error");
        assertError(gateway.read("/team/info", "team_id", "alices-own-team"), 404, "not_found_error");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }
}
