package io.claimgate.gateway.e2e;

import static io.claimgate.gateway.e2e.ErrorResponses.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimgate.gateway.support.Http;
import io.claimgate.keycloak.testing.KeycloakServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two Keycloak realms on one Keycloak as two {@code issuers} of one gateway. The demo realm ("staff") names users by
 * {@code sub} and teams by {@code team_id}, the global fields; a partner realm created here names them by
 * {@code partner_user} and {@code partner_team}, and its tokens also carry a decoy {@code team_id} that the staff
 * fields would read. Each token must be verified with its own realm's keys and read with its own realm's fields.
 */
class TwoRealmsEndToEndIT extends EndToEndTest {

    private static final String PARTNER_REALM = "claimgate-partner";
    private static final String PARTNER_CLIENT = "partner-pipeline";
    private static final String PARTNER_SECRET = "partner-pipeline-secret";

    private static final String CONFIG = """
            model_list:
              - model_name: gpt-4o-mini
                litellm_params:
                  model: openai/gpt-4o-mini
            general_settings:
              enable_jwt_auth: true
              master_key: os.environ/LITELLM_MASTER_KEY
              litellm_jwtauth:
                team_id_jwt_field: team_id
                team_ids_jwt_field: team_ids
                user_id_jwt_field: sub
                user_id_upsert: true
                issuers:
                  - issuer: os.environ/KEYCLOAK_ISSUER
                    audience: llm-gateway
                  - issuer: os.environ/PARTNER_ISSUER
                    audience: partner-gateway
                    jwks_url: os.environ/PARTNER_JWKS_URL
                    user_id_jwt_field: partner_user
                    team_id_jwt_field: partner_team
            gateway:
              host: os.environ/GATEWAY_HOST
              port: 4000
              upstream: os.environ/GATEWAY_UPSTREAM
              data_dir: os.environ/GATEWAY_DATA_DIR
            """;

    @Override
    protected GatewayUnderTest startGateway() throws Exception {
        createPartnerRealm();
        Path config = suite.newDirectory("two-realms").resolve("config.yaml");
        Files.writeString(config, CONFIG);
        // No JWT_PUBLIC_KEY_URL: the two issuers are the whole key source, the staff realm's keys found through its
        // discovery document.
        return GatewayUnderTest.start(suite, config, Map.of(
                "PARTNER_ISSUER", suite.keycloak().issuer(PARTNER_REALM),
                "PARTNER_JWKS_URL", suite.keycloak().jwksUrl(PARTNER_REALM)));
    }

    @Override
    protected void givenTeams() throws Exception {
        createTeam("research", "gpt-4o-mini");
        createTeam("partners", "gpt-4o-mini");
    }

    /** The partner realm: a confidential client whose service-account tokens carry the partner claims. */
    private void createPartnerRealm() {
        Map<String, Object> realm = Map.of(
                "realm", PARTNER_REALM,
                "enabled", true,
                "clients", List.of(Map.of(
                        "clientId", PARTNER_CLIENT,
                        "enabled", true,
                        "publicClient", false,
                        "secret", PARTNER_SECRET,
                        "serviceAccountsEnabled", true,
                        "standardFlowEnabled", false,
                        "directAccessGrantsEnabled", false,
                        "protocol", "openid-connect",
                        "protocolMappers", List.of(
                                audience("partner-gateway"),
                                claim("partner_user", PARTNER_CLIENT),
                                claim("partner_team", "partners"),
                                // What the staff realm's fields would read: research, where the partner is not.
                                claim("team_id", "research")))));
        HttpResponse<String> created = suite.keycloak().admin("POST", "/realms", KeycloakServer.toJson(realm));
        assertThat(created.statusCode()).as(created.body()).isIn(201, 409);
    }

    private static Map<String, Object> audience(String audience) {
        return Map.of("name", "audience", "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
                "config", Map.of("included.custom.audience", audience, "access.token.claim", "true",
                        "id.token.claim", "false"));
    }

    private static Map<String, Object> claim(String name, String value) {
        return Map.of("name", name, "protocol", "openid-connect", "protocolMapper", "oidc-hardcoded-claim-mapper",
                "config", Map.of("claim.name", name, "claim.value", value, "jsonType.label", "String",
                        "access.token.claim", "true", "id.token.claim", "false"));
    }

    private String partnerToken() {
        return suite.keycloak().clientCredentialsGrant(PARTNER_REALM, PARTNER_CLIENT, PARTNER_SECRET)
                .path("access_token").asText();
    }

    /** The token with one claim changed and its signature kept: what a forger can make from a real token. */
    private static String withClaim(String token, String claim, String value) {
        String[] parts = token.split("\\.");
        ObjectNode payload = (ObjectNode) KeycloakServer.claims(token);
        payload.put(claim, value);
        String encoded = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(KeycloakServer.toJson(payload).getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + encoded + "." + parts[2];
    }

    @Test
    void staffTokenIsAcceptedWithTheGlobalFields() throws Exception {
        // given alice of the staff realm, in team research
        String token = suite.token(SuiteServices.ALICE);

        // when she calls a model of her team
        HttpResponse<String> response = gateway.chat(token, "gpt-4o-mini");

        // then the upstream hears her by sub, in research
        assertThat(upstreamReply(response))
                .contains("user=" + suite.subject(SuiteServices.ALICE))
                .contains("team=research");
    }

    @Test
    void partnerTokenIsReadWithThePartnerRealmsFieldsNotTheStaffFields() throws Exception {
        // given a partner token whose team_id claim says research, and whose partner_team says partners
        String token = partnerToken();
        assertThat(KeycloakServer.claims(token).path("team_id").asText()).isEqualTo("research");

        // when it calls a model
        HttpResponse<String> response = gateway.chat(token, "gpt-4o-mini");

        // then it is the partner pipeline in partners: the partner realm's fields, not the staff realm's
        assertThat(upstreamReply(response))
                .contains("user=" + PARTNER_CLIENT)
                .contains("team=partners")
                .doesNotContain("team=research");
    }

    @Test
    void partnerTokenClaimingTheStaffIssuerIsRefused() throws Exception {
        // given a token signed by the partner realm whose iss is rewritten to the staff realm's
        String forged = withClaim(partnerToken(), "iss", suite.keycloak().issuer(SuiteServices.REALM));

        // when it is presented, then the staff realm's keys do not verify it
        HttpResponse<String> response = gateway.chat(forged, "gpt-4o-mini");

        JsonNode error = assertError(response, 401, "auth_error");
        assertThat(error.path("message").asText()).startsWith("Validation fails:");
    }

    @Test
    void tokenOfAnUnlistedIssuerIsRefused() throws Exception {
        String forged = withClaim(partnerToken(), "iss", suite.keycloak().issuer("unlisted"));

        HttpResponse<String> response = gateway.chat(forged, "gpt-4o-mini");

        JsonNode error = assertError(response, 401, "auth_error");
        assertThat(error.path("message").asText()).contains("not a configured issuer");
    }

    @Test
    void partnerTokenWithTheIssuerSpeltWithATrailingSlashIsRefused() throws Exception {
        String forged = withClaim(partnerToken(), "iss", suite.keycloak().issuer(PARTNER_REALM) + "/");

        assertError(gateway.chat(forged, "gpt-4o-mini"), 401, "auth_error");
    }

    @Test
    void eachRealmHasItsOwnReadinessCheckThatIsReadyOnceItsKeysAreFetched() throws Exception {
        // given a token of each realm verified, so that both realms' keys were fetched
        upstreamReply(gateway.chat(suite.token(SuiteServices.ALICE), "gpt-4o-mini"));
        upstreamReply(gateway.chat(partnerToken(), "gpt-4o-mini"));

        // when readiness is asked (a check reports its last finished run, so ask until both have run once)
        HttpResponse<String> response = readiness();
        for (int attempt = 0; attempt < 20 && response.statusCode() != 200; attempt++) {
            Thread.sleep(500);
            response = readiness();
        }

        // then each realm has its own check, and both are ok
        JsonNode checks = Http.json(response).path("checks");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(checks.path("key_source:" + suite.keycloak().issuer(SuiteServices.REALM)).asText()).isEqualTo("ok");
        assertThat(checks.path("key_source:" + suite.keycloak().issuer(PARTNER_REALM)).asText()).isEqualTo("ok");
        assertThat(checks.has("key_source")).as("no global key source without JWT_PUBLIC_KEY_URL").isFalse();
    }

    private HttpResponse<String> readiness() throws Exception {
        return gateway.http().send(gateway.http().request("/health/readiness").GET());
    }
}
