package io.claimgate.gateway.e2e;

import static io.claimgate.gateway.e2e.ErrorResponses.assertError;
import static io.claimgate.gateway.e2e.SuiteServices.ADMIN;
import static io.claimgate.gateway.e2e.SuiteServices.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code /auth} as nginx's {@code auth_request} and Traefik's {@code forwardAuth} call it, with Keycloak's tokens: the
 * decision and the identity headers, never a forwarded request.
 */
class ForwardAuthEndToEndIT extends EndToEndTest {

    @Override
    protected void givenTeams() throws Exception {
        createTeam("research", "gpt-4o-mini", "claude-3-haiku");
    }

    /** A subrequest as nginx's {@code auth_request} sends it: GET, the original URI, no body. */
    private HttpResponse<String> nginxSubrequest(String token, String originalUri, String model) throws Exception {
        HttpRequest.Builder request = gateway.http().request("/auth").GET()
                .header("X-Original-URI", originalUri);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (model != null) {
            request.header("X-Model", model);
        }
        return gateway.http().send(request);
    }

    @Test
    void nginxSubrequestForAnAllowedModelGetsTheCallersIdentityHeaders() throws Exception {
        // given alice's token and the URI nginx was asked for, query string included
        String token = suite.token(ALICE);

        // when
        HttpResponse<String> response = nginxSubrequest(token, "/v1/chat/completions?api-version=1", "gpt-4o-mini");

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Auth-Request-User")).hasValue(suite.subject(ALICE));
        assertThat(response.headers().firstValue("X-Auth-Request-Email")).hasValue("alice@example.com");
        assertThat(response.headers().firstValue("X-Auth-Request-Team")).hasValue("research");
        assertThat(response.headers().firstValue("X-Auth-Request-Role")).hasValue("team");
        assertThat(response.headers().firstValue("X-Auth-Request-Org")).isEmpty();
        assertThat(response.headers().firstValue("X-Auth-Request-End-User")).isEmpty();
    }

    @Test
    void subrequestForARefusedModelGets403InLiteLlmsShape() throws Exception {
        // given
        String token = suite.token(ALICE);

        // when the front proxy asks with the route where the shipped config reads it (X-Original-URI; a gateway
        // set up for Traefik reads X-Forwarded-Uri instead, see GatewayServerIT) and Traefik's X-Forwarded-Method
        HttpResponse<String> response = gateway.http().send(gateway.http().request("/auth").GET()
                .header("Authorization", "Bearer " + token)
                .header("X-Forwarded-Method", "POST")
                .header("X-Original-URI", "/chat/completions")
                .header("X-Model", "llama-3-70b"));

        // then
        JsonNode error = assertError(response, 403, "team_model_access_denied");
        assertThat(error.path("param").asText()).isEqualTo("model");
        assertThat(response.headers().firstValue("X-Auth-Request-User")).isEmpty();
    }

    @Test
    void subrequestWithoutATokenGets401() throws Exception {
        // when
        HttpResponse<String> response = nginxSubrequest(null, "/chat/completions", "gpt-4o-mini");

        // then
        JsonNode error = assertError(response, 401, "auth_error");
        assertThat(error.path("message").asText()).isEqualTo("No api key passed in.");
    }

    @Test
    void proxyAdminIsAllowedOnAManagementRouteButNotOnChatCompletions() throws Exception {
        // given the realm's admin
        String token = suite.token(ADMIN);

        // when
        HttpResponse<String> management = nginxSubrequest(token, "/team/new", null);
        HttpResponse<String> chat = nginxSubrequest(token, "/chat/completions", "gpt-4o-mini");

        // then
        assertThat(management.statusCode()).as(management.body()).isEqualTo(200);
        assertThat(management.headers().firstValue("X-Auth-Request-Role")).hasValue("proxy_admin");
        assertThat(management.headers().firstValue("X-Auth-Request-Email")).hasValue("admin@example.com");
        assertThat(management.headers().firstValue("X-Auth-Request-Team")).isEmpty();
        assertError(chat, 403, "auth_error");
    }
}
