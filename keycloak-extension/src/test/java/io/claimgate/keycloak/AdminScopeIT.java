package io.claimgate.keycloak;

import static io.claimgate.keycloak.ClaimValues.scopes;
import static io.claimgate.keycloak.ClaimValues.texts;
import static io.claimgate.keycloak.SharedKeycloak.TEST_REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.keycloak.testing.KeycloakServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin scope comes from the admin role alone, on a real Keycloak: not from an {@code llm_scopes} attribute on the
 * user or a team group (mallory, trudy), and not from a client scope named like it that a non-admin requests. Each
 * attack has its control: the honest scopes still arrive, and admins keep the admin scope.
 */
@ExtendWith(SharedKeycloak.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminScopeIT {

    private static final String ADMIN_SCOPE = "litellm_proxy_admin";
    /** Clients offered the admin-named optional client scope: one with the mapper, one without, one lightweight. */
    private static final List<String> OFFERING_CLIENTS = List.of("optional-admin", "plain", "light-off");

    private KeycloakServer keycloak;

    @BeforeAll
    void connect(KeycloakServer keycloak) {
        this.keycloak = keycloak;
        offerAdminNamedClientScope();
    }

    /**
     * The misconfiguration the mapper must survive: an optional client scope named like the admin scope, without a
     * role scope mapping, so Keycloak grants it to anyone whose client requests it. Created here rather than in the
     * realm file, because a realm file with its own client scopes gets none of Keycloak's defaults.
     */
    private void offerAdminNamedClientScope() {
        String scopesPath = "/realms/" + TEST_REALM + "/client-scopes";
        String scopeId = null;
        for (JsonNode scope : keycloak.adminGet(scopesPath)) {
            if (scope.path("name").asText().equals(ADMIN_SCOPE)) {
                scopeId = scope.path("id").asText();
            }
        }
        if (scopeId == null) {
            HttpResponse<String> created = keycloak.admin("POST", scopesPath, KeycloakServer.toJson(Map.of(
                    "name", ADMIN_SCOPE, "protocol", "openid-connect",
                    "attributes", Map.of("include.in.token.scope", "true"))));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String location = created.headers().firstValue("Location").orElseThrow();
            scopeId = location.substring(location.lastIndexOf('/') + 1);
        }
        for (String client : OFFERING_CLIENTS) {
            String clientUuid = keycloak.adminGet("/realms/" + TEST_REALM + "/clients?clientId=" + client).get(0)
                    .path("id").asText();
            HttpResponse<String> offered = keycloak.admin("PUT", "/realms/" + TEST_REALM + "/clients/" + clientUuid
                    + "/optional-client-scopes/" + scopeId, null);
            assertThat(offered.statusCode()).as(offered.body()).isEqualTo(204);
        }
    }

    private JsonNode grant(String client, String user) {
        return keycloak.passwordGrant(TEST_REALM, client, null, user, user + "-pw");
    }

    private JsonNode grantRequestingAdminScope(String client, String user) {
        return keycloak.passwordGrant(TEST_REALM, client, null, user, user + "-pw", "openid " + ADMIN_SCOPE);
    }

    private static JsonNode claims(JsonNode tokenResponse, String token) {
        return KeycloakServer.claims(tokenResponse.path(token).asText());
    }

    private JsonNode introspect(JsonNode tokenResponse) {
        return keycloak.introspect(TEST_REALM, "introspector", "introspector-secret",
                tokenResponse.path("access_token").asText());
    }

    /** The scope Keycloak gives without the mapper (client {@code plain}), then the given values. */
    private List<String> baselineWith(String user, String... appended) {
        List<String> expected = new ArrayList<>(scopes(claims(grant("plain", user), "access_token")));
        expected.addAll(List.of(appended));
        return expected;
    }

    @Nested
    class WrittenIntoAnAttribute {

        @Test
        void onTheUserIsDroppedWhileTheUsersOtherScopesArrive() {
            JsonNode access = claims(grant("cli", "mallory"), "access_token");

            assertThat(scopes(access)).isEqualTo(baselineWith("mallory", "models:mallory"));
        }

        @Test
        void onATeamGroupIsDroppedWhileTheTeamsOtherScopesArrive() {
            JsonNode access = claims(grant("cli", "trudy"), "access_token");

            assertThat(access.path("team_id").asText()).isEqualTo("forged");
            assertThat(scopes(access)).isEqualTo(baselineWith("trudy", "models:forged"));
        }

        @Test
        void withASpaceDoesNotInjectASecondScope() {
            List<String> malloryScopes = scopes(claims(grant("cli", "mallory"), "access_token"));
            List<String> trudyScopes = scopes(claims(grant("cli", "trudy"), "access_token"));

            assertThat(malloryScopes).doesNotContain(ADMIN_SCOPE, "a", "say\"hi\"");
            assertThat(trudyScopes).doesNotContain(ADMIN_SCOPE, "x");
        }

        @Test
        void isDroppedFromIntrospectionToo() {
            for (String user : List.of("mallory", "trudy")) {
                JsonNode tokens = grant("cli", user);

                JsonNode introspection = introspect(tokens);

                assertThat(introspection.path("active").asBoolean()).isTrue();
                assertThat(introspection.path("scope").asText())
                        .isEqualTo(claims(tokens, "access_token").path("scope").asText());
                assertThat(introspection.path("scope").asText().split(" ")).doesNotContain(ADMIN_SCOPE);
            }
        }

        @Test
        void appearsNowhereInTheIdTokenOrUserinfo() {
            JsonNode tokens = grant("cli", "trudy");
            JsonNode id = claims(tokens, "id_token");
            JsonNode userinfo = keycloak.userinfo(TEST_REALM, tokens.path("access_token").asText());

            assertThat(id.path("team_id").asText()).isEqualTo("forged");
            assertThat(texts(userinfo.path("team_ids"))).containsExactly("forged");
            assertThat(id.toString()).doesNotContain(ADMIN_SCOPE);
            assertThat(userinfo.toString()).doesNotContain(ADMIN_SCOPE);
        }

        @Test
        void ofAnAdminLeavesTheAdminScopeOnce() {
            JsonNode tokens = grant("cli", "dave");

            assertThat(scopes(claims(tokens, "access_token"))).containsOnlyOnce(ADMIN_SCOPE);
            assertThat(introspect(tokens).path("scope").asText().split(" ")).containsOnlyOnce(ADMIN_SCOPE);
        }
    }

    @Nested
    class RequestedAsAClientScope {

        @Test
        void isGrantedByKeycloakToAnyoneWithoutTheMapper() {
            JsonNode tokens = grantRequestingAdminScope("plain", "mallory");

            assertThat(scopes(claims(tokens, "access_token"))).contains(ADMIN_SCOPE);
        }

        @Test
        void isDroppedForANonAdmin() {
            JsonNode tokens = grantRequestingAdminScope("optional-admin", "mallory");

            // Keycloak granted it: its own token-endpoint field, set after the mappers, still names it.
            assertThat(tokens.path("scope").asText().split(" ")).contains(ADMIN_SCOPE);
            List<String> accessScopes = scopes(claims(tokens, "access_token"));
            assertThat(accessScopes).doesNotContain(ADMIN_SCOPE).contains("openid", "models:mallory");
            assertThat(introspect(tokens).path("scope").asText().split(" ")).doesNotContain(ADMIN_SCOPE);
        }

        @Test
        void isKeptOnceForAnAdmin() {
            JsonNode tokens = grantRequestingAdminScope("optional-admin", "erin");

            assertThat(scopes(claims(tokens, "access_token"))).containsOnlyOnce(ADMIN_SCOPE);
            assertThat(introspect(tokens).path("scope").asText().split(" ")).containsOnlyOnce(ADMIN_SCOPE);
        }

        @Test
        void isDroppedFromALightweightTokenTheMapperWritesNoClaimsInto() {
            JsonNode tokens = grantRequestingAdminScope("light-off", "mallory");
            JsonNode access = claims(tokens, "access_token");

            // The mapper wrote no claims here (mallory's own scope is missing), yet still withheld the admin scope.
            assertThat(scopes(access)).doesNotContain(ADMIN_SCOPE, "models:mallory").contains("openid");
            assertThat(introspect(tokens).path("scope").asText().split(" ")).doesNotContain(ADMIN_SCOPE);
        }

        @Test
        void isKeptInALightweightTokenForAnAdmin() {
            JsonNode tokens = grantRequestingAdminScope("light-off", "erin");

            assertThat(scopes(claims(tokens, "access_token"))).containsOnlyOnce(ADMIN_SCOPE);
        }
    }
}
