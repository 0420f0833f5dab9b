package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.LiteLlmBlock;
import io.claimgate.model.JwtRoleMapping;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.RoleMapping;
import io.claimgate.model.SettingsException;
import io.claimgate.validator.claims.ClaimReader;
import io.claimgate.validator.claims.TokenClaims;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoleResolverTest {

    private static RoleResolution resolve(UnaryOperator<LiteLlmBlock> settings,
                                          Map<String, Object> claims) {
        JwtAuthSettings built = settings.apply(new LiteLlmBlock()).settings();
        return new RoleResolver(built.roles()).resolve(new ClaimReader(built.claims()).read(claims));
    }

    private static ProxyRole role(UnaryOperator<LiteLlmBlock> settings, Map<String, Object> claims) {
        RoleResolution resolution = resolve(settings, claims);
        return resolution == null ? null : resolution.role();
    }

    @Nested
    class EachBranch {

        @Test
        void adminScopeMakesAProxyAdmin() {
            assertThat(role(b -> b, Map.of("scope", "openid litellm_proxy_admin"))).isEqualTo(ProxyRole.PROXY_ADMIN);
        }

        @Test
        void aConfiguredAdminScopeReplacesTheDefault() {
            assertThat(role(b -> b.set("admin_jwt_scope", "gateway.admin"),
                    Map.of("scope", "litellm_proxy_admin"))).isNull();
            assertThat(role(b -> b.set("admin_jwt_scope", "gateway.admin"), Map.of("scope", "gateway.admin")))
                    .isEqualTo(ProxyRole.PROXY_ADMIN);
        }

        @Test
        void adminScopeInTheEntraScpClaimAlsoCounts() {
            assertThat(role(b -> b, Map.of("scp", "litellm_proxy_admin"))).isEqualTo(ProxyRole.PROXY_ADMIN);
        }

        @Test
        void aTeamIdMakesATeam() {
            assertThat(role(b -> b.set("team_id_jwt_field", "team_id"),
                    Map.of("team_id", "eng"))).isEqualTo(ProxyRole.TEAM);
        }

        @Test
        void theDefaultTeamMakesEveryOtherTokenATeam() {
            assertThat(role(b -> b.set("team_id_default", "everyone"), Map.of("sub", "u1"))).isEqualTo(ProxyRole.TEAM);
        }

        @Test
        void aListOfTeamsAloneMakesNoRole() {
            assertThat(role(b -> b.set("team_ids_jwt_field", "team_ids"), Map.of("team_ids", List.of("a")))).isNull();
        }

        @Test
        void aUserIdMakesAnInternalUser() {
            assertThat(role(b -> b.set("user_id_jwt_field", "sub"),
                    Map.of("sub", "u1"))).isEqualTo(ProxyRole.INTERNAL_USER);
        }

        @Test
        void theEmailFallbackDoesNotMakeAnInternalUser() {
            assertThat(role(b -> b.set("user_email_jwt_field", "email"), Map.of("email", "a@example.com"))).isNull();
        }

        @Test
        void anAllowedUserRoleMakesAnInternalUser() {
            UnaryOperator<LiteLlmBlock> settings =
                    b -> b.set("user_roles_jwt_field", "roles").set("user_allowed_roles", List.of("llm-user"));

            assertThat(role(settings, Map.of("roles", List.of("other", "llm-user")))).isEqualTo(ProxyRole.INTERNAL_USER);
            assertThat(role(settings, Map.of("roles", List.of("other")))).isNull();
        }

        @Test
        void userRolesWithoutAllowedRolesMakeNoRole() {
            assertThat(role(b -> b.set("user_roles_jwt_field", "roles"),
                    Map.of("roles", List.of("llm-user")))).isNull();
        }

        @Test
        void theFirstMatchingRoleMappingWins() {
            UnaryOperator<LiteLlmBlock> settings = b -> b.set("roles_jwt_field", "roles").set("role_mappings", List.of(
                    Map.of("role", "admins", "internal_role", "proxy_admin"), Map.of("role", "users",
                            "internal_role", "internal_user")));

            assertThat(role(settings, Map.of("roles", List.of("users", "admins")))).isEqualTo(ProxyRole.PROXY_ADMIN);
            assertThat(role(settings, Map.of("roles", List.of("users")))).isEqualTo(ProxyRole.INTERNAL_USER);
            assertThat(role(settings, Map.of("roles", List.of("guests")))).isNull();
        }

        @Test
        void roleMappingsMatchExactly() {
            assertThat(role(b -> b.set("roles_jwt_field", "roles").set("role_mappings", List.of(Map.of("role",
                    "admin", "internal_role", "proxy_admin"))), Map.of("roles", List.of("Admin", "admins")))).isNull();
        }

        @Test
        void noRuleGivesNoRole() {
            assertThat(resolve(b -> b, Map.of("sub", "u1", "scope", "openid"))).isNull();
        }
    }

    // Mirrors LiteLLM test_map_jwt_role_to_litellm_role (fnmatch globs, mapping order).
    @Nested
    class JwtLitellmRoleMap {

        private final UnaryOperator<LiteLlmBlock> settings = b -> b.set("roles_jwt_field", "roles")
                .set("jwt_litellm_role_map", List.of(
                        Map.of("jwt_role", "ADMIN", "litellm_role", "proxy_admin"),
                        Map.of("jwt_role", "user_*", "litellm_role", "internal_user"),
                        Map.of("jwt_role", "team_?", "litellm_role", "team"),
                        Map.of("jwt_role", "dev_[123]", "litellm_role", "internal_user")));

        @ParameterizedTest
        @CsvSource(nullValues = "none", value = {
                "ADMIN, proxy_admin", "user_manager, internal_user", "user_, internal_user", "team_1, team",
                "team_a, team", "dev_1, internal_user", "dev_2, internal_user", "unknown_role, none", "dev_4, none",
                "team_12, none", "team_, none", "admin, none"})
        void mapsRolesByGlob(String tokenRole, String expected) {
            assertThat(role(settings, Map.of("roles", List.of(tokenRole))))
                    .isEqualTo(expected == null ? null : ProxyRole.fromWireValue(expected).orElseThrow());
        }

        @Test
        void theFirstMappingWinsWhateverTheTokenOrder() {
            assertThat(role(settings, Map.of("roles", List.of("user_test", "ADMIN")))).isEqualTo(ProxyRole.PROXY_ADMIN);
        }

        @Test
        void noRolesMapToNothing() {
            assertThat(role(settings, Map.of("roles", List.of()))).isNull();
            assertThat(role(settings, Map.of())).isNull();
        }

        @Test
        void refusesAnUncompilableGlobAtStartupNamingTheSetting() {
            JwtAuthSettings settings = new LiteLlmBlock().set("roles_jwt_field", "roles")
                    .set("jwt_litellm_role_map", List.of(Map.of("jwt_role", "dev_[z-a]",
                            "litellm_role", "team"))).settings();

            assertThatThrownBy(() -> new RoleResolver(settings.roles()))
                    .isInstanceOfSatisfying(SettingsException.class,
                            e -> assertThat(e.key()).isEqualTo("jwt_litellm_role_map.jwt_role"));
        }

        @Test
        void roleMappingsComeBeforeTheGlobMap() {
            assertThat(role(b -> b.set("roles_jwt_field", "roles")
                            .set("role_mappings", List.of(Map.of("role", "ADMIN", "internal_role", "internal_user")))
                            .set("jwt_litellm_role_map", List.of(Map.of("jwt_role", "ADMIN",
                                    "litellm_role", "proxy_admin"))),
                    Map.of("roles", List.of("ADMIN")))).isEqualTo(ProxyRole.INTERNAL_USER);
        }

        @Test
        void negatedClassesAndUnclosedBracketsFollowFnmatch() {
            assertThat(Glob.compile("dev_[!123]").matches("dev_4")).isTrue();
            assertThat(Glob.compile("dev_[!123]").matches("dev_1")).isFalse();
            assertThat(Glob.compile("dev_[").matches("dev_[")).isTrue();
            assertThat(Glob.compile("a.b").matches("axb")).isFalse();
            assertThat(Glob.compile("[a-c]x").matches("bx")).isTrue();
        }
    }

    @Nested
    class Precedence {

        @Test
        void adminScopeBeatsATeam() {
            assertThat(role(b -> b.set("team_id_jwt_field", "team_id"), Map.of("scope", "litellm_proxy_admin",
                    "team_id", "t")))
                    .isEqualTo(ProxyRole.PROXY_ADMIN);
        }

        @Test
        void aTeamBeatsAUser() {
            assertThat(role(b -> b.set("team_id_jwt_field", "team_id").set("user_id_jwt_field", "sub"),
                    Map.of("team_id", "t", "sub", "u"))).isEqualTo(ProxyRole.TEAM);
        }

        @Test
        void aUserBeatsRoleMappings() {
            assertThat(role(b -> b.set("user_id_jwt_field", "sub").set("roles_jwt_field", "roles")
                            .set("role_mappings", List.of(Map.of("role", "admins", "internal_role", "proxy_admin"))),
                    Map.of("sub", "u", "roles", List.of("admins")))).isEqualTo(ProxyRole.INTERNAL_USER);
        }
    }

    @Nested
    class ObjectId {

        private final UnaryOperator<LiteLlmBlock> mapped = b -> b.set("roles_jwt_field", "roles")
                .set("object_id_jwt_field", "oid").set("role_mappings", List.of(Map.of("role", "team-app",
                        "internal_role", "team"),
                        Map.of("role", "person", "internal_role", "internal_user")));

        @Test
        void suppliesTheTeamIdForATeamRole() {
            RoleResolution resolution = resolve(mapped, Map.of("roles", List.of("team-app"), "oid", "team-42"));

            assertThat(resolution).isEqualTo(new RoleResolution(ProxyRole.TEAM, "team-42", null));
        }

        @Test
        void suppliesTheUserIdForAnInternalUser() {
            RoleResolution resolution = resolve(mapped, Map.of("roles", List.of("person"), "oid", "user-7"));

            assertThat(resolution).isEqualTo(new RoleResolution(ProxyRole.INTERNAL_USER, null, "user-7"));
        }

        @Test
        void replacesTheTokensIdsOnlyForItsOwnRole() {
            JwtAuthSettings settings = mapped.apply(new LiteLlmBlock().set("user_id_jwt_field", "uid")).settings();
            TokenClaims team = new ClaimReader(settings.claims()).read(Map.of("roles", List.of("team-app"),
                    "oid", "team-42"));
            RoleResolution teamRole = new RoleResolver(settings.roles()).resolve(team);

            assertThat(teamRole.teamId(team)).isEqualTo("team-42");
            assertThat(teamRole.userId(team)).isNull();

            TokenClaims user = new ClaimReader(settings.claims()).read(Map.of("uid", "u-1", "oid", "user-7"));
            RoleResolution userRole = new RoleResolver(settings.roles()).resolve(user);

            assertThat(userRole.userId(user)).isEqualTo("user-7");
            assertThat(userRole.teamId(user)).isNull();
        }

        @Test
        void suppliesNothingForAnAdmin() {
            RoleResolution resolution = resolve(mapped, Map.of("scope", "litellm_proxy_admin", "oid", "x"));

            assertThat(resolution).isEqualTo(RoleResolution.of(ProxyRole.PROXY_ADMIN));
            assertThat(resolution.isProxyAdmin()).isTrue();
        }

        @Test
        void suppliesNothingWhenTheTokenHasNoObjectId() {
            assertThat(resolve(mapped, Map.of("roles", List.of("team-app"))))
                    .isEqualTo(RoleResolution.of(ProxyRole.TEAM));
        }
    }
}
