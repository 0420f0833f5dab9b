package io.claimgate.gateway.e2e;

import static io.claimgate.gateway.e2e.ErrorResponses.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.keycloak.testing.KeycloakServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A machine caller (a CI pipeline) with no human behind it: a Keycloak service account whose client-credentials token
 * carries its team through the extension, exactly as a person's does. The demo realm's confidential client
 * {@code ci-pipeline} has a service account in {@code /teams/research}.
 */
class MachineCallerEndToEndIT extends EndToEndTest {

    private static final String CLIENT = "ci-pipeline";
    private static final String SECRET = "ci-pipeline-secret";

    @Override
    protected void givenTeams() throws Exception {
        createTeam("research", "gpt-4o-mini");
    }

    private String serviceAccountToken() {
        return suite.keycloak().clientCredentialsGrant(SuiteServices.REALM, CLIENT, SECRET).path("access_token")
                .asText();
    }

    @Test
    void serviceAccountReachesTheUpstreamAsAMemberOfItsTeam() throws Exception {
        // given the pipeline's client-credentials token
        String token = serviceAccountToken();
        String subject = KeycloakServer.claims(token).path("sub").asText();

        // when it asks for a model its team may use
        HttpResponse<String> response = gateway.chat(token, "gpt-4o-mini");

        // then the upstream answers and hears the service account as a member of research
        assertThat(upstreamReply(response))
                .contains("user=" + subject)
                .contains("team=research")
                .contains("role=team");
    }

    @Test
    void serviceAccountIsRefusedAModelItsTeamMayNotUse() throws Exception {
        HttpResponse<String> response = gateway.chat(serviceAccountToken(), "llama-3-70b");

        assertError(response, 403, "team_model_access_denied");
    }

    @Test
    void serviceAccountCannotAdministerTheGateway() throws Exception {
        HttpResponse<String> response = gateway.http().post("/team/new", serviceAccountToken(),
                "{\"team_id\":\"ci-made\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    }
}
