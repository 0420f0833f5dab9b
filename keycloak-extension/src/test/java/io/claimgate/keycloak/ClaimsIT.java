package io.claimgate.keycloak;

import static io.claimgate.keycloak.ClaimValues.scopes;
import static io.claimgate.keycloak.ClaimValues.texts;
import static io.claimgate.keycloak.SharedKeycloak.TEST_REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.keycloak.testing.KeycloakServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The claims of real Keycloak tokens for the test realm's users, with the mapper as the realm file configures it on
 * client {@code cli} (defaults, plus {@code roles.client=llm-gateway-api}).
 */
@ExtendWith(SharedKeycloak.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimsIT {

    private KeycloakServer keycloak;

    @BeforeAll
    void connect(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    private JsonNode grant(String client, String user) {
        return keycloak.passwordGrant(TEST_REALM, client, null, user, user + "-pw");
    }

    private JsonNode access(String client, String user) {
        return KeycloakServer.claims(grant(client, user).path("access_token").asText());
    }

    private JsonNode access(String user) {
        return access("cli", user);
    }

    /** The scope Keycloak gives without the mapper: client {@code plain} has the same client scopes. */
    private List<String> baselineScopes(String user) {
        return scopes(access("plain", user));
    }

    private List<String> withAppended(String user, String... appended) {
        List<String> expected = new ArrayList<>(baselineScopes(user));
        expected.addAll(List.of(appended));
        return expected;
    }

    @Nested
    class Teams {

        @Test
        void userWithoutTeamsGetsNoTeamClaims() {
            JsonNode claims = access("nobody");

            assertThat(claims.has("team_id")).isFalse();
            assertThat(claims.has("team_ids")).isFalse();
            assertThat(claims.has("team_ids_overage")).isFalse();
        }

        @Test
        void userWithOneTeamHasItAsActiveTeam() {
            JsonNode claims = access("alice");

            assertThat(claims.path("team_id").asText()).isEqualTo("research");
            assertThat(texts(claims.path("team_ids"))).containsExactly("research");
        }

        @Test
        void groupTeamIdAttributeGivesTheIdAndTheUserAttributeTheActiveTeam() {
            JsonNode claims = access("bob");

            assertThat(texts(claims.path("team_ids"))).containsExactly("research", "team-support-42");
            assertThat(claims.path("team_id").asText()).isEqualTo("team-support-42");
        }

        @Test
        void nestedGroupIsATeamAndAnActiveTeamTheUserIsNotInGivesNoTeamId() {
            JsonNode claims = access("carol");

            assertThat(texts(claims.path("team_ids"))).containsExactly("nlp", "platform");
            assertThat(claims.has("team_id")).isFalse();
        }

        @Test
        void groupsOutsideTheTeamsPathAreNotTeams() {
            JsonNode claims = access("dave");

            assertThat(texts(claims.path("team_ids"))).containsExactly("team-support-42");
            assertThat(access("erin").has("team_ids")).isFalse();
        }

        @Test
        void fourTeamsStayUnderTheDefaultCap() {
            assertThat(texts(access("frank").path("team_ids")))
                    .containsExactly("extra", "platform", "research", "team-support-42");
        }
    }

    @Nested
    class Organization {

        @Test
        void comesFromTheActiveTeamGroup() {
            assertThat(access("alice").path("org_id").asText()).isEqualTo("org-research");
            assertThat(access("bob").path("org_id").asText()).isEqualTo("org-support");
        }

        @Test
        void comesFromTheUserWithoutActiveTeam() {
            assertThat(access("carol").path("org_id").asText()).isEqualTo("org-carol");
            assertThat(access("erin").path("org_id").asText()).isEqualTo("org-erin");
        }

        @Test
        void isLeftOutWhenNobodyNamesOne() {
            assertThat(access("nobody").has("org_id")).isFalse();
        }
    }

    @Nested
    class Roles {

        @Test
        void includeCompositesAndGroupRolesWithoutBuiltIns() {
            List<String> roles = texts(access("carol").path("roles"));

            assertThat(roles).containsExactly("analyst", "boss", "platform-engineer", "reader", "writer");
        }

        @Test
        void includeTheConfiguredClientsRoles() {
            assertThat(texts(access("alice").path("roles"))).containsExactly("model-user");
        }

        @Test
        void includeRolesGrantedThroughGroups() {
            assertThat(texts(access("dave").path("roles"))).containsExactly("proxy-admin");
        }

        @Test
        void areLeftOutWhenTheUserHasOnlyBuiltIns() {
            assertThat(access("nobody").has("roles")).isFalse();
        }

        @Test
        void respectTheClientsRoleScope() {
            assertThat(texts(access("narrow", "carol").path("roles"))).containsExactly("reader");
        }
    }

    @Nested
    class Scopes {

        @Test
        void userWithoutScopesKeepsKeycloaksScopeUnchanged() {
            assertThat(scopes(access("nobody"))).isEqualTo(baselineScopes("nobody")).contains("openid");
        }

        @Test
        void userAndTeamScopesAreAppendedAfterTheExistingOnes() {
            assertThat(scopes(access("alice"))).isEqualTo(withAppended("alice", "personal:read", "models:research"));
        }

        @Test
        void nestedTeamScopesAreAppendedAndExistingValuesAreNotRepeated() {
            assertThat(baselineScopes("carol")).contains("email");

            assertThat(scopes(access("carol"))).isEqualTo(withAppended("carol", "models:nlp", "models:gpt-4o"));
        }

        @Test
        void adminRoleThroughAGroupAppendsTheAdminScopeOnce() {
            assertThat(scopes(access("dave"))).isEqualTo(withAppended("dave", "litellm_proxy_admin"));
        }

        @Test
        void directAdminRoleAppendsTheAdminScopeButNotScopesOfNonTeamGroups() {
            assertThat(scopes(access("erin"))).isEqualTo(withAppended("erin", "litellm_proxy_admin"));
        }

        @Test
        void adminRoleOutsideTheClientsRoleScopeGivesNoAdminScope() {
            assertThat(scopes(access("narrow", "erin"))).doesNotContain("litellm_proxy_admin");
        }

        @Test
        void tokenResponseScopeIsKeycloaksOwn() {
            assertThat(grant("cli", "dave").path("scope").asText().split(" "))
                    .doesNotContain("litellm_proxy_admin");
        }
    }

    @Nested
    class Channels {

        @Test
        void idTokenCarriesTheTeamClaimsButNoScope() {
            JsonNode id = KeycloakServer.claims(grant("cli", "bob").path("id_token").asText());

            assertThat(id.path("team_id").asText()).isEqualTo("team-support-42");
            assertThat(texts(id.path("team_ids"))).containsExactly("research", "team-support-42");
            assertThat(id.path("org_id").asText()).isEqualTo("org-support");
            assertThat(id.has("scope")).isFalse();
        }

        @Test
        void userinfoCarriesTheClaims() {
            String token = grant("cli", "carol").path("access_token").asText();

            JsonNode userinfo = keycloak.userinfo(TEST_REALM, token);

            assertThat(texts(userinfo.path("team_ids"))).containsExactly("nlp", "platform");
            assertThat(texts(userinfo.path("roles"))).contains("analyst", "reader");
            assertThat(userinfo.path("org_id").asText()).isEqualTo("org-carol");
        }

        @Test
        void introspectionCarriesTheClaimsAndTheSameScopeAsTheAccessToken() {
            String token = grant("cli", "dave").path("access_token").asText();

            JsonNode introspection = keycloak.introspect(TEST_REALM, "introspector", "introspector-secret", token);

            assertThat(introspection.path("active").asBoolean()).isTrue();
            assertThat(texts(introspection.path("team_ids"))).containsExactly("team-support-42");
            assertThat(introspection.path("team_id").asText()).isEqualTo("team-support-42");
            assertThat(introspection.path("scope").asText())
                    .isEqualTo(KeycloakServer.claims(token).path("scope").asText());
        }

        @Test
        void lightweightAccessTokenCarriesTheClaimsWhenTheMapperAllowsIt() {
            JsonNode claims = access("light", "dave");

            assertThat(claims.path("team_id").asText()).isEqualTo("team-support-42");
            assertThat(scopes(claims)).contains("litellm_proxy_admin");
        }

        @Test
        void lightweightAccessTokenLeavesTheClaimsToIntrospectionOtherwise() {
            String token = grant("light-off", "dave").path("access_token").asText();

            assertThat(KeycloakServer.claims(token).has("team_id")).isFalse();
            JsonNode introspection = keycloak.introspect(TEST_REALM, "introspector", "introspector-secret", token);
            assertThat(introspection.path("team_id").asText()).isEqualTo("team-support-42");
            assertThat(introspection.path("scope").asText().split(" ")).containsOnlyOnce("litellm_proxy_admin");
        }
    }
}
