package io.claimgate.keycloak;

import static io.claimgate.keycloak.TeamResolverTest.group;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProxyClaimsResolverTest {

    private static final ProxyClaimsConfig DEFAULTS = ProxyClaimsConfig.of(Map.of());

    private static Subject subject(Map<String, List<String>> attributes, List<GroupMembership> groups,
                                   Set<String> realmRoles) {
        return new Subject("default-roles-acme", attributes, groups, realmRoles, Set.of());
    }

    @Test
    void userWithoutTeamsRolesOrAttributesGetsNothing() {
        var claims = ProxyClaimsResolver.resolve(DEFAULTS,
                subject(Map.of(), List.of(), Set.of("offline_access", "default-roles-acme")));

        assertThat(claims).isEqualTo(new ProxyClaims(java.util.Optional.empty(), List.of(), false, List.of(),
                java.util.Optional.empty(), false, List.of()));
    }

    @Nested
    class Teams {

        @Test
        void userWithOneTeamHasItAsActiveTeam() {
            var claims = ProxyClaimsResolver.resolve(DEFAULTS,
                    subject(Map.of(), List.of(group("/teams/research")), Set.of()));

            assertThat(claims.teamId()).contains("research");
            assertThat(claims.teamIds()).containsExactly("research");
        }

        @Test
        void activeTeamAttributeSelectsAmongSeveralTeams() {
            var claims = ProxyClaimsResolver.resolve(DEFAULTS, subject(Map.of("team_id", List.of("support")),
                    List.of(group("/teams/research"), group("/teams/support")), Set.of()));

            assertThat(claims.teamId()).contains("support");
            assertThat(claims.teamIds()).containsExactly("research", "support");
        }

        @Test
        void activeTeamAttributeNameIsConfigurable() {
            var config = ProxyClaimsConfig.of(Map.of("teams.active.attribute", "current_team"));

            var claims = ProxyClaimsResolver.resolve(config, subject(Map.of("current_team", List.of("research")),
                    List.of(group("/teams/research"), group("/teams/support")), Set.of()));

            assertThat(claims.teamId()).contains("research");
        }

        @Test
        void moreTeamsThanTheCapLeaveTheListOutAndMarkTheOverage() {
            var config = ProxyClaimsConfig.of(Map.of("teams.max", "2"));

            var claims = ProxyClaimsResolver.resolve(config, subject(Map.of("team_id", List.of("b")),
                    List.of(group("/teams/a"), group("/teams/b"), group("/teams/c")), Set.of()));

            assertThat(claims.teamIdsOverage()).isTrue();
            assertThat(claims.teamIds()).isEmpty();
            assertThat(claims.teamId()).contains("b");
        }

        @Test
        void teamsUpToTheCapAreAllWritten() {
            var config = ProxyClaimsConfig.of(Map.of("teams.max", "2"));

            var claims = ProxyClaimsResolver.resolve(config,
                    subject(Map.of(), List.of(group("/teams/a"), group("/teams/b")), Set.of()));

            assertThat(claims.teamIdsOverage()).isFalse();
            assertThat(claims.teamIds()).containsExactly("a", "b");
        }
    }

    @Nested
    class Organization {

        @Test
        void activeTeamGroupAttributeWinsOverTheUsers() {
            var claims = ProxyClaimsResolver.resolve(DEFAULTS, subject(Map.of("org_id", List.of("user-org")),
                    List.of(group("/teams/a", Map.of("org_id", List.of("team-org")))), Set.of()));

            assertThat(claims.orgId()).contains("team-org");
        }

        @Test
        void userAttributeIsUsedWithoutActiveTeam() {
            var claims = ProxyClaimsResolver.resolve(DEFAULTS, subject(Map.of("org_id", List.of("user-org")),
                    List.of(group("/teams/a", Map.of("org_id", List.of("a-org"))), group("/teams/b")), Set.of()));

            assertThat(claims.orgId()).contains("user-org");
        }

        @Test
        void userAttributeIsUsedWhenTheActiveTeamHasNoOrganization() {
            var claims = ProxyClaimsResolver.resolve(DEFAULTS,
                    subject(Map.of("org_id", List.of("user-org")), List.of(group("/teams/a")), Set.of()));

            assertThat(claims.orgId()).contains("user-org");
        }
    }

    @Nested
    class KeycloakOrganization {

        private final ProxyClaimsConfig fromOrganizations = ProxyClaimsConfig.of(Map.of("org.source", "organization"));

        private Subject subject(Map<String, List<String>> attributes, List<GroupMembership> groups,
                                OrganizationMembership... memberships) {
            return new Subject("default-roles-acme", attributes, groups, Set.of(), Set.of(),
                    new OrganizationContext(List.of(memberships), java.util.Optional.empty(), List.of("openid")));
        }

        @Test
        void givesTheAliasOfTheUsersOnlyOrganizationAndIgnoresTheAttributes() {
            var claims = ProxyClaimsResolver.resolve(fromOrganizations, subject(Map.of("org_id", List.of("user-org")),
                    List.of(group("/teams/a", Map.of("org_id", List.of("team-org")))),
                    new OrganizationMembership("0f5c-uuid", "acme")));

            assertThat(claims.orgId()).contains("acme");
        }

        @Test
        void givesTheIdWhenConfigured() {
            var config = ProxyClaimsConfig.of(Map.of("org.source", "organization", "org.value", "id"));

            var claims = ProxyClaimsResolver.resolve(config,
                    subject(Map.of(), List.of(), new OrganizationMembership("0f5c-uuid", "acme")));

            assertThat(claims.orgId()).contains("0f5c-uuid");
        }

        @Test
        void givesNoneForSeveralOrganizationsEvenWithAnOrgAttribute() {
            var claims = ProxyClaimsResolver.resolve(fromOrganizations, subject(Map.of("org_id", List.of("user-org")),
                    List.of(), new OrganizationMembership("1", "acme"), new OrganizationMembership("2", "globex")));

            assertThat(claims.orgId()).isEmpty();
        }

        @Test
        void attributeSourceIgnoresOrganizations() {
            var claims = ProxyClaimsResolver.resolve(DEFAULTS, subject(Map.of("org_id", List.of("user-org")),
                    List.of(), new OrganizationMembership("1", "acme")));

            assertThat(claims.orgId()).contains("user-org");
        }
    }

    @Nested
    class Scopes {

        @Test
        void adminRoleMakesTheUserAnAdmin() {
            var claims = ProxyClaimsResolver.resolve(DEFAULTS, subject(Map.of(), List.of(), Set.of("proxy-admin")));

            assertThat(claims.admin()).isTrue();
            assertThat(claims.attributeScopes()).isEmpty();
        }

        @Test
        void configuredAdminRoleIsUsed() {
            var config = ProxyClaimsConfig.of(Map.of("admin.role", "boss", "admin.scope", "admin"));

            assertThat(ProxyClaimsResolver.resolve(config, subject(Map.of(), List.of(), Set.of("proxy-admin")))
                    .admin()).isFalse();
            assertThat(ProxyClaimsResolver.resolve(config, subject(Map.of(), List.of(), Set.of("boss")))
                    .admin()).isTrue();
        }

        @Test
        void adminScopeInAnAttributeDoesNotMakeTheUserAnAdmin() {
            var claims = ProxyClaimsResolver.resolve(DEFAULTS,
                    subject(Map.of("llm_scopes", List.of("litellm_proxy_admin")),
                            List.of(group("/teams/a", Map.of("llm_scopes", List.of("litellm_proxy_admin")))),
                            Set.of()));

            assertThat(claims.admin()).isFalse();
        }

        @Test
        void userScopesThenTeamScopesInTeamOrder() {
            var claims = ProxyClaimsResolver.resolve(DEFAULTS, subject(Map.of("llm_scopes", List.of("u1", "u2")),
                    List.of(group("/teams/b", Map.of("llm_scopes", List.of("b1"))),
                            group("/teams/a", Map.of("llm_scopes", List.of("a1"))),
                            group("/staff", Map.of("llm_scopes", List.of("not-a-team")))),
                    Set.of("proxy-admin")));

            assertThat(claims.admin()).isTrue();
            assertThat(claims.attributeScopes()).containsExactly("u1", "u2", "a1", "b1");
        }

        @Test
        void scopesAttributeNameIsConfigurable() {
            var config = ProxyClaimsConfig.of(Map.of("scopes.attribute", "models"));

            var claims = ProxyClaimsResolver.resolve(config,
                    subject(Map.of("models", List.of("m"), "llm_scopes", List.of("x")), List.of(), Set.of()));

            assertThat(claims.attributeScopes()).containsExactly("m");
        }
    }

    @Test
    void rolesAreFilteredAndIncludeTheClientRoles() {
        var subject = new Subject("default-roles-acme", Map.of(), List.of(), Set.of("uma_authorization", "analyst"),
                Set.of("model-user"));

        assertThat(ProxyClaimsResolver.resolve(DEFAULTS, subject).roles()).containsExactly("analyst", "model-user");
    }
}
