package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.JwtAuthSettings;
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

    private static RoleResolution resolve(UnaryOperator<JwtAuthSettings.Builder> settings,
                                          Map<String, Object> claims) {
        JwtAuthSettings built = settings.apply(JwtAuthSettings.builder()).build();
        return new RoleResolver(built).resolve(new ClaimReader(built).read(claims));
    }

    private static ProxyRole role(UnaryOperator<JwtAuthSettings.Builder> settings, Map<String, Object> claims) {
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
            assertThat(role(b -> b.adminJwtScope("gateway.admin"), Map.of("scope", "litellm_proxy_admin"))).isNull();
            assertThat(role(b -> b.adminJwtScope("gateway.admin"), Map.of("scope", "gateway.admin")))
                    .isEqualTo(ProxyRole.PROXY_ADMIN);
        }

        @Test
        void adminScopeInTheEntraScpClaimAlsoCounts() {
            assertThat(role(b -> b, Map.of("scp", "litellm_proxy_admin"))).isEqualTo(ProxyRole.PROXY_ADMIN);
        }

        @Test
        void aTeamIdMakesATeam() {
            assertThat(role(b -> b.teamIdJwtField("team_id"), Map.of("team_id", "eng"))).isEqualTo(ProxyRole.TEAM);
        }

        @Test
        void theDefaultTeamMakesEveryOtherTokenATeam() {
            assertThat(role(b -> b.teamIdDefault("everyone"), Map.of("sub", "u1"))).isEqualTo(ProxyRole.TEAM);
        }

        @Test
        void aListOfTeamsAloneMakesNoRole() {
            assertThat(role(b -> b.teamIdsJwtField("team_ids"), Map.of("team_ids", List.of("a")))).isNull();
        }

        @Test
        void aUserIdMakesAnInternalUser() {
            assertThat(role(b -> b.userIdJwtField("sub"), Map.of("sub", "u1"))).isEqualTo(ProxyRole.INTERNAL_USER);
        }

        @Test
        void theEmailFallbackDoesNotMakeAnInternalUser() {
            assertThat(role(b -> b.userEmailJwtField("email"), Map.of("email", "a@example.com"))).isNull();
        }

        @Test
        void anAllowedUserRoleMakesAnInternalUser() {
            UnaryOperator<JwtAuthSettings.Builder> settings =
                    b -> b.userRolesJwtField("roles").userAllowedRoles(List.of("llm-user"));

            assertThat(role(settings, Map.of("roles", List.of("other", "llm-user")))).isEqualTo(ProxyRole.INTERNAL_USER);
            assertThat(role(settings, Map.of("roles", List.of("other")))).isNull();
        }

        @Test
        void userRolesWithoutAllowedRolesMakeNoRole() {
            assertThat(role(b -> b.userRolesJwtField("roles"), Map.of("roles", List.of("llm-user")))).isNull();
        }

        @Test
        void theFirstMatchingRoleMappingWins() {
            UnaryOperator<JwtAuthSettings.Builder> settings = b -> b.rolesJwtField("roles").roleMappings(List.of(
                    new RoleMapping("admins", ProxyRole.PROXY_ADMIN), new RoleMapping("users", ProxyRole.INTERNAL_USER)));

            assertThat(role(settings, Map.of("roles", List.of("users", "admins")))).isEqualTo(ProxyRole.PROXY_ADMIN);
            assertThat(role(settings, Map.of("roles", List.of("users")))).isEqualTo(ProxyRole.INTERNAL_USER);
            assertThat(role(settings, Map.of("roles", List.of("guests")))).isNull();
        }

        @Test
        void roleMappingsMatchExactly() {
            assertThat(role(b -> b.rolesJwtField("roles").roleMappings(List.of(new RoleMapping("admin",
                    ProxyRole.PROXY_ADMIN))), Map.of("roles", List.of("Admin", "admins")))).isNull();
        }

        @Test
        void noRuleGivesNoRole() {
            assertThat(resolve(b -> b, Map.of("sub", "u1", "scope", "openid"))).isNull();
        }
    }

    // Mirrors LiteLLM test_map_jwt_role_to_litellm_role (fnmatch globs, mapping order).
    @Nested
    class JwtLitellmRoleMap {

        private final UnaryOperator<JwtAuthSettings.Builder> settings = b -> b.rolesJwtField("roles")
                .jwtLitellmRoleMap(List.of(
                        new JwtRoleMapping("ADMIN", ProxyRole.PROXY_ADMIN),
                        new JwtRoleMapping("user_*", ProxyRole.INTERNAL_USER),
                        new JwtRoleMapping("team_?", ProxyRole.TEAM),
                        new JwtRoleMapping("dev_[123]", ProxyRole.INTERNAL_USER)));

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
            JwtAuthSettings settings = JwtAuthSettings.builder().rolesJwtField("roles")
                    .jwtLitellmRoleMap(List.of(new JwtRoleMapping("dev_[z-a]", ProxyRole.TEAM))).build();

            assertThatThrownBy(() -> new RoleResolver(settings))
                    .isInstanceOfSatisfying(SettingsException.class,
                            e -> assertThat(e.key()).isEqualTo("jwt_litellm_role_map.jwt_role"));
        }

        @Test
        void roleMappingsComeBeforeTheGlobMap() {
            assertThat(role(b -> b.rolesJwtField("roles")
                            .roleMappings(List.of(new RoleMapping("ADMIN", ProxyRole.INTERNAL_USER)))
                            .jwtLitellmRoleMap(List.of(new JwtRoleMapping("ADMIN", ProxyRole.PROXY_ADMIN))),
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
            assertThat(role(b -> b.teamIdJwtField("team_id"), Map.of("scope", "litellm_proxy_admin", "team_id", "t")))
                    .isEqualTo(ProxyRole.PROXY_ADMIN);
        }

        @Test
        void aTeamBeatsAUser() {
            assertThat(role(b -> b.teamIdJwtField("team_id").userIdJwtField("sub"),
                    Map.of("team_id", "t", "sub", "u"))).isEqualTo(ProxyRole.TEAM);
        }

        @Test
        void aUserBeatsRoleMappings() {
            assertThat(role(b -> b.userIdJwtField("sub").rolesJwtField("roles")
                            .roleMappings(List.of(new RoleMapping("admins", ProxyRole.PROXY_ADMIN))),
                    Map.of("sub", "u", "roles", List.of("admins")))).isEqualTo(ProxyRole.INTERNAL_USER);
        }
    }

    @Nested
    class ObjectId {

        private final UnaryOperator<JwtAuthSettings.Builder> mapped = b -> b.rolesJwtField("roles")
                .objectIdJwtField("oid").roleMappings(List.of(new RoleMapping("team-app", ProxyRole.TEAM),
                        new RoleMapping("person", ProxyRole.INTERNAL_USER)));

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
            JwtAuthSettings settings = mapped.apply(JwtAuthSettings.builder().userIdJwtField("uid")).build();
            TokenClaims team = new ClaimReader(settings).read(Map.of("roles", List.of("team-app"), "oid", "team-42"));
            RoleResolution teamRole = new RoleResolver(settings).resolve(team);

            assertThat(teamRole.teamId(team)).isEqualTo("team-42");
            assertThat(teamRole.userId(team)).isNull();

            TokenClaims user = new ClaimReader(settings).read(Map.of("uid", "u-1", "oid", "user-7"));
            RoleResolution userRole = new RoleResolver(settings).resolve(user);

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
