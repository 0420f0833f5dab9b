package io.claimgate.gateway.e2e;

import static io.claimgate.gateway.e2e.ErrorResponses.assertError;
import static io.claimgate.gateway.e2e.SuiteServices.ALICE;
import static io.claimgate.gateway.e2e.SuiteServices.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimgate.keycloak.testing.KeycloakServer;
import io.claimgate.gateway.support.Http;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Who the caller is: a valid Keycloak token creates the user's row on first sight ({@code user_id_upsert}), anything
 * else is 401 in LiteLLM's shape and leaves no trace. Only bob is ever served in this class, so alice's row must never
 * appear.
 */
class CallerIdentityEndToEndIT extends EndToEndTest {

    @Override
    protected void givenTeams() throws Exception {
        createTeam("research", "gpt-4o-mini");
        createTeam("support", "gpt-4o-mini");
    }

    @Test
    void firstRequestCreatesTheUsersRowFromTheTokenAndLaterOnesReuseIt() throws Exception {
        // given bob, unknown to the gateway's database
        String token = suite.token(BOB);
        String userId = suite.subject(BOB);
        HttpResponse<String> before = gateway.read("/user/info", "user_id", userId);

        // when he calls twice
        HttpResponse<String> first = gateway.chat(token, "gpt-4o-mini");
        HttpResponse<String> second = gateway.chat(suite.token(BOB), "gpt-4o-mini");

        // then one row holds his Keycloak subject, e-mail and LiteLLM's default role
        assertError(before, 404, "not_found_error");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        HttpResponse<String> info = gateway.read("/user/info", "user_id", userId);
        assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
        JsonNode user = Http.json(info).path("user_info");
        assertThat(user.path("user_id").asText()).isEqualTo(userId);
        assertThat(user.path("user_email").asText()).isEqualTo("bob@example.com");
        assertThat(user.path("user_role").asText()).isEqualTo("internal_user");
        HttpResponse<String> list = gateway.http().get("/user/list", GatewayUnderTest.MASTER_KEY);
        assertThat(Http.json(list).path("users").findValuesAsText("user_id")).containsOnlyOnce(userId);
    }

    @Test
    void missingAuthorizationHeaderIs401() throws Exception {
        // when
        HttpResponse<String> response = gateway.chat(null, "gpt-4o-mini");

        // then
        JsonNode error = assertError(response, 401, "auth_error");
        assertThat(error.path("message").asText()).isEqualTo("No api key passed in.");
    }

    @Test
    void garbageBearerTokenIs401() throws Exception {
        assertRefusedWithoutTrace(gateway.chat("not-a-jwt-at-all", "gpt-4o-mini"));
        assertRefusedWithoutTrace(gateway.chat("eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl", "gpt-4o-mini"));
    }

    @Test
    void keycloakTokenWithAChangedClaimIs401() throws Exception {
        // given alice's real token, made to claim bob's team support while keeping Keycloak's signature
        String forged = withClaims(suite.token(ALICE), claims -> claims.put("team_id", "support"));

        // when / then
        assertRefusedWithoutTrace(gateway.chat(forged, "gpt-4o-mini"));
    }

    @Test
    void keycloakTokenMadeToLookExpiredIs401() throws Exception {
        // given alice's real token with its expiry moved to the past (the signature no longer matches either)
        long past = Instant.now().minusSeconds(3600).getEpochSecond();
        String expired = withClaims(suite.token(ALICE), claims -> claims.put("exp", past).put("iat", past - 300));

        // when / then
        assertRefusedWithoutTrace(gateway.chat(expired, "gpt-4o-mini"));
    }

    @Test
    void unsignedTokenWithAlgNoneIs401() throws Exception {
        // given alice's claims under an "alg": "none" header and no signature
        String[] parts = suite.token(ALICE).split("\\.");
        String unsigned = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";

        // when / then
        assertRefusedWithoutTrace(gateway.chat(unsigned, "gpt-4o-mini"));
    }

    @Test
    void tokenOfAnotherRealmIs401() throws Exception {
        // given a genuine token from the same Keycloak, but the master realm (other keys, issuer and audience)
        String otherRealm = suite.keycloak().adminToken();

        // when
        HttpResponse<String> response = gateway.http().send(gateway.http().request("/team/list").GET()
                .header("Authorization", "Bearer " + otherRealm));

        // then
        assertError(response, 401, "auth_error");
    }

    /** 401 with LiteLLM's body, and alice (whose claims every forged token here carries) was not created. */
    private void assertRefusedWithoutTrace(HttpResponse<String> response) throws Exception {
        assertError(response, 401, "auth_error");
        assertError(gateway.read("/user/info", "user_id", suite.subject(ALICE)), 404, "not_found_error");
    }

    /** The token with its payload changed and its header and signature kept. */
    private static String withClaims(String token, Consumer<ObjectNode> change) {
        String[] parts = token.split("\\.");
        ObjectNode claims = (ObjectNode) KeycloakServer.claims(token);
        change.accept(claims);
        return parts[0] + "." + base64Url(KeycloakServer.toJson(claims)) + "." + parts[2];
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
