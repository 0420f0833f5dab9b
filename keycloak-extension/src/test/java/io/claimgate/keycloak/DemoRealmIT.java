package io.claimgate.keycloak;

import static io.claimgate.keycloak.SharedKeycloak.DEMO_REALM;
import static io.claimgate.keycloak.ClaimValues.audiences;
import static io.claimgate.keycloak.ClaimValues.scopes;
import static io.claimgate.keycloak.ClaimValues.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.keycloak.testing.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo realm under docker/keycloak imports and gives the tokens the local stack relies on. */
@ExtendWith(SharedKeycloak.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoRealmIT {

    private KeycloakServer keycloak;

    @BeforeAll
    void connect(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    private JsonNode accessClaims(String user) {
        return KeycloakServer.claims(keycloak.accessToken(DEMO_REALM, "llm-gateway", null, user, user));
    }

    @Test
    void aliceGetsHerOnlyTeamAsActiveTeamAndTheGatewayAudience() {
        JsonNode claims = accessClaims("alice");

        assertThat(claims.path("team_id").asText()).isEqualTo("research");
        assertThat(texts(claims.path("team_ids"))).containsExactly("research");
        assertThat(audiences(claims)).contains("llm-gateway");
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer(DEMO_REALM));
        assertThat(scopes(claims)).contains("models:research").doesNotContain("litellm_proxy_admin");
    }

    @Test
    void bobHasTwoTeamsAndSupportIsActive() {
        JsonNode claims = accessClaims("bob");

        assertThat(texts(claims.path("team_ids"))).containsExactly("research", "support");
        assertThat(claims.path("team_id").asText()).isEqualTo("support");
    }

    @Test
    void adminGetsTheProxyAdminScopeAndRole() {
        JsonNode claims = accessClaims("admin");

        assertThat(scopes(claims)).contains("litellm_proxy_admin");
        assertThat(texts(claims.path("roles"))).containsExactly("proxy-admin");
        assertThat(claims.has("team_id")).isFalse();
    }

    @Test
    void ciPipelinesClientCredentialsTokenCarriesItsServiceAccountsTeamAndRoleButNoAdminScope() {
        String token = keycloak.clientCredentialsGrant(DEMO_REALM, "ci-pipeline", "ci-pipeline-secret")
                .path("access_token").asText();

        JsonNode claims = KeycloakServer.claims(token);

        assertThat(claims.path("azp").asText()).isEqualTo("ci-pipeline");
        assertThat(claims.path("team_id").asText()).isEqualTo("research");
        assertThat(texts(claims.path("team_ids"))).containsExactly("research");
        assertThat(texts(claims.path("roles"))).containsExactly("machine-caller");
        assertThat(audiences(claims)).contains("llm-gateway");
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer(DEMO_REALM));
        assertThat(scopes(claims)).contains("models:research").doesNotContain("litellm_proxy_admin");
    }

    @Test
    void ciPipelinesTokenIntrospectsToTheSameTeamAndScope() {
        String token = keycloak.clientCredentialsGrant(DEMO_REALM, "ci-pipeline", "ci-pipeline-secret")
                .path("access_token").asText();

        JsonNode introspection = keycloak.introspect(DEMO_REALM, "ci-pipeline", "ci-pipeline-secret", token);

        assertThat(introspection.path("active").asBoolean()).isTrue();
        assertThat(introspection.path("team_id").asText()).isEqualTo("research");
        assertThat(introspection.path("scope").asText()).isEqualTo(KeycloakServer.claims(token).path("scope").asText());
    }
}
