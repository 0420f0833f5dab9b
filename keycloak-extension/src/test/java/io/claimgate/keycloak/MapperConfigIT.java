package io.claimgate.keycloak;

import static io.claimgate.keycloak.ClaimValues.scopes;
import static io.claimgate.keycloak.ClaimValues.texts;
import static io.claimgate.keycloak.SharedKeycloak.TEST_REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.keycloak.testing.KeycloakServer;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The mapper created, changed and refused through Keycloak's admin REST API, one config key at a time, on client
 * {@code tuning}, which has no mapper of its own.
 */
@ExtendWith(SharedKeycloak.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MapperConfigIT {

    private static final String CLIENT = "tuning";

    private KeycloakServer keycloak;
    private String mappersPath;

    @BeforeAll
    void connect(KeycloakServer keycloak) {
        this.keycloak = keycloak;
        String clientUuid = keycloak.adminGet("/realms/" + TEST_REALM + "/clients?clientId=" + CLIENT).get(0).path("id")
                .asText();
        mappersPath = "/realms/" + TEST_REALM + "/clients/" + clientUuid + "/protocol-mappers/models";
    }

    @BeforeEach
    void removeMappers() {
        keycloak.adminGet(mappersPath).forEach(mapper -> {
            HttpResponse<String> deleted = keycloak.admin("DELETE", mappersPath + "/" + mapper.path("id").asText(),
                    null);
            assertThat(deleted.statusCode()).isEqualTo(204);
        });
    }

    /** A mapper representation with every include switch on, then the given config on top. */
    private static String mapper(String id, Map<String, String> config) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("access.token.claim", "true");
        all.put("id.token.claim", "true");
        all.put("userinfo.token.claim", "true");
        all.put("introspection.token.claim", "true");
        all.putAll(config);
        Map<String, Object> rep = new LinkedHashMap<>();
        if (id != null) {
            rep.put("id", id);
        }
        rep.put("name", "claimgate");
        rep.put("protocol", "openid-connect");
        rep.put("protocolMapper", ProxyClaimsMapper.PROVIDER_ID);
        rep.put("config", all);
        return KeycloakServer.toJson(rep);
    }

    private HttpResponse<String> create(Map<String, String> config) {
        return keycloak.admin("POST", mappersPath, mapper(null, config));
    }

    private String created(Map<String, String> config) {
        HttpResponse<String> response = create(config);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String location = response.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private JsonNode grant(String user) {
        return keycloak.passwordGrant(TEST_REALM, CLIENT, null, user, user + "-pw");
    }

    private JsonNode access(String user) {
        return KeycloakServer.claims(grant(user).path("access_token").asText());
    }

    @Test
    void serverInfoListsTheMapperWithTheJarsVersion() {
        JsonNode ours = keycloak.adminGet("/serverinfo").path("providers").path("protocol-mapper").path("providers")
                .path(ProxyClaimsMapper.PROVIDER_ID);

        assertThat(ours.path("operationalInfo").path("Version").asText()).isEqualTo(System.getProperty(
                "claimgate.version"));
    }

    @Nested
    class EachKey {

        @Test
        void defaultsWithAnEmptyConfig() {
            created(Map.of());

            JsonNode claims = access("bob");

            assertThat(claims.path("team_id").asText()).isEqualTo("team-support-42");
            assertThat(texts(claims.path("team_ids"))).containsExactly("research", "team-support-42");
            assertThat(claims.path("org_id").asText()).isEqualTo("org-support");
        }

        @Test
        void teamsGroupPath() {
            created(Map.of("teams.group.path", "/org-teams"));

            JsonNode claims = access("frank");

            assertThat(texts(claims.path("team_ids"))).containsExactly("alpha");
            assertThat(claims.path("team_id").asText()).isEqualTo("alpha");
        }

        @Test
        void teamsActiveAttribute() {
            created(Map.of("teams.active.attribute", "current_team"));

            assertThat(access("bob").path("team_id").asText()).isEqualTo("research");
        }

        @Test
        void rolesClient() {
            created(Map.of());
            assertThat(access("alice").has("roles")).isFalse();

            removeMappers();
            created(Map.of("roles.client", "llm-gateway-api"));
            assertThat(texts(access("alice").path("roles"))).containsExactly("model-user");
        }

        @Test
        void adminRoleAndAdminScope() {
            created(Map.of("admin.role", "boss", "admin.scope", "gateway_admin"));

            assertThat(scopes(access("carol"))).contains("gateway_admin").doesNotContain("litellm_proxy_admin");
            assertThat(scopes(access("erin"))).doesNotContain("gateway_admin", "litellm_proxy_admin");
        }

        @Test
        void scopesAttribute() {
            created(Map.of("scopes.attribute", "other_scopes"));

            assertThat(scopes(access("alice"))).contains("x:y").doesNotContain("personal:read", "models:research");
        }

        @Test
        void orgAttribute() {
            created(Map.of("org.attribute", "billing_org"));

            assertThat(access("bob").path("org_id").asText()).isEqualTo("bill-support");
        }

        @Test
        void claimNames() {
            created(Map.of("claim.team_id", "gw_team", "claim.team_ids", "gw_teams", "claim.roles", "gw_roles",
                    "claim.org_id", "gw_org"));

            JsonNode claims = access("carol");

            assertThat(texts(claims.path("gw_teams"))).containsExactly("nlp", "platform");
            assertThat(texts(claims.path("gw_roles"))).contains("analyst");
            assertThat(claims.path("gw_org").asText()).isEqualTo("org-carol");
            assertThat(access("bob").path("gw_team").asText()).isEqualTo("team-support-42");
            assertThat(claims.has("team_ids") || claims.has("roles") || claims.has("org_id")).isFalse();
        }

        @Test
        void dottedClaimNameNestsLikeKeycloaksOwnMappers() {
            created(Map.of("claim.team_ids", "llm.team_ids"));

            assertThat(texts(access("bob").path("llm").path("team_ids")))
                    .containsExactly("research", "team-support-42");
        }

        @Test
        void teamsMaxLeavesTheListOutAndMarksTheOverage() {
            created(Map.of("teams.max", "3"));

            JsonNode frank = access("frank");
            assertThat(frank.has("team_ids")).isFalse();
            assertThat(frank.path("team_ids_overage").asBoolean()).isTrue();
            assertThat(texts(access("bob").path("team_ids"))).hasSize(2);
        }

        @Test
        void overageMarkerFollowsTheRenamedClaim() {
            created(Map.of("teams.max", "1", "claim.team_ids", "gw_teams"));

            assertThat(access("bob").path("gw_teams_overage").asBoolean()).isTrue();
        }
    }

    @Nested
    class IncludeSwitches {

        @Test
        void idTokenSwitch() {
            created(Map.of("id.token.claim", "false"));

            JsonNode tokens = grant("bob");

            assertThat(KeycloakServer.claims(tokens.path("id_token").asText()).has("team_ids")).isFalse();
            assertThat(KeycloakServer.claims(tokens.path("access_token").asText()).has("team_ids")).isTrue();
        }

        @Test
        void accessTokenSwitch() {
            created(Map.of("access.token.claim", "false"));

            JsonNode tokens = grant("dave");
            JsonNode access = KeycloakServer.claims(tokens.path("access_token").asText());

            assertThat(access.has("team_ids")).isFalse();
            assertThat(scopes(access)).doesNotContain("litellm_proxy_admin");
            assertThat(KeycloakServer.claims(tokens.path("id_token").asText()).has("team_ids")).isTrue();
        }

        @Test
        void userinfoSwitch() {
            created(Map.of("userinfo.token.claim", "false"));

            String token = grant("bob").path("access_token").asText();

            assertThat(keycloak.userinfo(TEST_REALM, token).has("team_ids")).isFalse();
        }

        @Test
        void introspectionSwitch() {
            created(Map.of("introspection.token.claim", "false"));

            String token = grant("bob").path("access_token").asText();

            assertThat(keycloak.introspect(TEST_REALM, "introspector", "introspector-secret", token).has("team_ids"))
                    .isFalse();
        }

        @Test
        void absentSwitchesMeanKeycloaksDefaultsWhichWriteNothingIntoTokens() {
            Map<String, Object> rep = Map.of("name", "claimgate", "protocol", "openid-connect",
                    "protocolMapper", ProxyClaimsMapper.PROVIDER_ID, "config", Map.of());
            HttpResponse<String> response = keycloak.admin("POST", mappersPath, KeycloakServer.toJson(rep));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);

            JsonNode tokens = grant("dave");

            assertThat(KeycloakServer.claims(tokens.path("access_token").asText()).has("team_ids")).isFalse();
            assertThat(KeycloakServer.claims(tokens.path("id_token").asText()).has("team_ids")).isFalse();
        }

        @Test
        void introspectionGivesTheAccessTokensScopeWithoutAppendingTwice() {
            created(Map.of());
            String token = grant("dave").path("access_token").asText();

            JsonNode introspection = keycloak.introspect(TEST_REALM, "introspector", "introspector-secret", token);

            assertThat(introspection.path("scope").asText())
                    .isEqualTo(KeycloakServer.claims(token).path("scope").asText());
        }
    }

    @Nested
    class Changes {

        @Test
        void updatedConfigAppliesToTheNextToken() {
            String id = created(Map.of());
            assertThat(access("frank").has("team_ids")).isTrue();

            HttpResponse<String> updated = keycloak.admin("PUT", mappersPath + "/" + id,
                    mapper(id, Map.of("teams.max", "2")));

            assertThat(updated.statusCode()).as(updated.body()).isEqualTo(204);
            assertThat(access("frank").path("team_ids_overage").asBoolean()).isTrue();
        }

        @Test
        void refusedUpdateKeepsTheOldConfig() {
            String id = created(Map.of("teams.max", "2"));

            HttpResponse<String> refused = keycloak.admin("PUT", mappersPath + "/" + id,
                    mapper(id, Map.of("teams.max", "0")));

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(keycloak.adminGet(mappersPath + "/" + id).path("config").path("teams.max").asText())
                    .isEqualTo("2");
        }
    }

    @Nested
    class Refusals {

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource({
                "teams.group.path, teams",
                "teams.group.path, teams/research",
                "teams.max, 0",
                "teams.max, -5",
                "teams.max, many",
                "admin.scope, two scopes",
                "claim.team_id, sub",
                "claim.team_ids, scope",
                "claim.roles, iss",
                "claim.org_id, exp",
                "claim.roles, aud",
                "claim.team_id, session_state",
                "claim.roles, team_id",
                "org.source, organisation",
                "org.value, uuid",
        })
        void invalidConfigIsRefusedWith400AndTheReason(String key, String value) {
            HttpResponse<String> response = create(Map.of(key, value));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            JsonNode error = KeycloakServer.parseJson(response.body());
            assertThat(error.path("error_description").asText()).contains(key);
            assertThat(keycloak.adminGet(mappersPath)).isEmpty();
        }

        @Test
        void messageNamesEveryProblem() {
            HttpResponse<String> response = create(Map.of("teams.group.path", "x", "teams.max", "{0}'"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(KeycloakServer.parseJson(response.body()).path("error_description").asText())
                    .contains("teams.group.path must be a group path starting with /")
                    .contains("teams.max must be a whole number of at least 1");
        }
    }
}
