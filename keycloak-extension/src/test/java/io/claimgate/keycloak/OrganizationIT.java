package io.claimgate.keycloak;

import static io.claimgate.keycloak.SharedKeycloak.ORG_REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.keycloak.testing.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code org_id} from Keycloak 26 Organizations ({@code org.source=organization}) on a real Keycloak, in realm
 * {@code claimgate-org}: solo is in organization alpha, multi in alpha and beta, loner in none; solo and loner also
 * carry {@code org_id} attributes, which only {@code org.source=attribute} reads. The realm keeps Keycloak's default
 * user profile, where unmanaged attributes are disabled.
 */
@ExtendWith(SharedKeycloak.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrganizationIT {

    private KeycloakServer keycloak;

    @BeforeAll
    void connect(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    private JsonNode grant(String client, String user, String scope) {
        return keycloak.passwordGrant(ORG_REALM, client, null, user, user + "-pw", scope);
    }

    private JsonNode access(String client, String user) {
        return KeycloakServer.claims(grant(client, user, "openid").path("access_token").asText());
    }

    private String organizationId(String alias) {
        for (JsonNode organization : keycloak.adminGet("/realms/" + ORG_REALM + "/organizations")) {
            if (organization.path("alias").asText().equals(alias)) {
                return organization.path("id").asText();
            }
        }
        throw new AssertionError("no organization " + alias + " in realm " + ORG_REALM);
    }

    @Nested
    class FromTheAttribute {

        @Test
        void isStillTheDefaultAndReadsTheActiveTeamsAttribute() {
            assertThat(access("by-attribute", "solo").path("org_id").asText()).isEqualTo("team-attr-org");
        }

        @Test
        void readsStoredUserAttributesAlthoughTheUserProfileDisablesUnmanagedAttributes() {
            assertThat(access("by-attribute", "loner").path("org_id").asText()).isEqualTo("user-attr-org");
        }
    }

    @Nested
    class FromOrganizationMembership {

        @Test
        void givesTheAliasOfTheUsersOnlyOrganizationAndIgnoresTheAttributes() {
            JsonNode tokens = grant("by-alias", "solo", "openid");

            assertThat(KeycloakServer.claims(tokens.path("access_token").asText()).path("org_id").asText())
                    .isEqualTo("alpha");
            assertThat(KeycloakServer.claims(tokens.path("id_token").asText()).path("org_id").asText())
                    .isEqualTo("alpha");
        }

        @Test
        void givesNothingToAUserWithoutOrganizationEvenWithAnOrgAttribute() {
            assertThat(access("by-alias", "loner").has("org_id")).isFalse();
        }

        @Test
        void givesNothingToAMemberOfSeveralWhoChoseNone() {
            assertThat(access("by-alias", "multi").has("org_id")).isFalse();
        }

        @Test
        void givesTheOrganizationRequestedWithTheOrganizationScope() {
            JsonNode tokens = grant("by-alias", "multi", "openid organization:beta");
            String token = tokens.path("access_token").asText();

            assertThat(KeycloakServer.claims(token).path("org_id").asText()).isEqualTo("beta");
            JsonNode introspection = keycloak.introspect(ORG_REALM, "introspector", "introspector-secret", token);
            assertThat(introspection.path("org_id").asText()).isEqualTo("beta");
        }

        @Test
        void givesTheIdWhenConfigured() {
            assertThat(access("by-id", "solo").path("org_id").asText()).isEqualTo(organizationId("alpha"))
                    .isNotEqualTo("alpha");
        }
    }
}
