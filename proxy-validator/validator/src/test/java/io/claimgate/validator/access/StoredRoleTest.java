package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.RolePermission;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.LiteLlmBlock;
import io.claimgate.validator.claims.ClaimReader;
import io.claimgate.validator.claims.TokenClaims;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The stored {@code user_role} under JWT: LiteLLM's {@code is_proxy_admin}, and what Claimgate leaves to the token. */
class StoredRoleTest {

    private static final RoleResolution INTERNAL_USER = RoleResolution.of(ProxyRole.INTERNAL_USER);

    @Nested
    class Resolution {

        @Test
        void aStoredProxyAdminIsAnAdminWhateverTheTokenSays() {
            RoleResolution acting = RoleResolver.withStoredRole(new RoleResolution(ProxyRole.INTERNAL_USER, null,
                    "object-user"), ProxyRole.PROXY_ADMIN);

            assertThat(acting.role()).isEqualTo(ProxyRole.PROXY_ADMIN);
            assertThat(acting.objectUserId()).as("the user the row was found for stays the caller")
                    .isEqualTo("object-user");
            assertThat(acting.objectTeamId()).isNull();
        }

        @Test
        void aStoredProxyAdminIsAnAdminEvenWhenTheTokenHasNoRole() {
            assertThat(RoleResolver.withStoredRole(null, ProxyRole.PROXY_ADMIN))
                    .isEqualTo(RoleResolution.of(ProxyRole.PROXY_ADMIN));
        }

        @ParameterizedTest
        @EnumSource(value = ProxyRole.class, names = {"PROXY_ADMIN", "PROXY_ADMIN_VIEWER"},
                mode = EnumSource.Mode.EXCLUDE)
        void everyOtherStoredRoleLeavesTheTokensRoleAsItIs(ProxyRole stored) {
            assertThat(RoleResolver.withStoredRole(INTERNAL_USER, stored)).isSameAs(INTERNAL_USER);
            assertThat(RoleResolver.withStoredRole(null, stored)).isNull();
        }

        @Test
        void noStoredRoleLeavesTheTokensRole() {
            assertThat(RoleResolver.withStoredRole(INTERNAL_USER, null)).isSameAs(INTERNAL_USER);
        }

        @Test
        void aTokenAdminStaysAnAdminWhateverIsStored() {
            RoleResolution admin = RoleResolution.of(ProxyRole.PROXY_ADMIN);

            assertThat(RoleResolver.withStoredRole(admin, ProxyRole.INTERNAL_USER_VIEWER)).isSameAs(admin);
            assertThat(RoleResolver.withStoredRole(admin, ProxyRole.PROXY_ADMIN)).isSameAs(admin);
        }
    }

    @Nested
    class Routes {

        private static final RoleResolution STORED_ADMIN = RoleResolution.of(ProxyRole.PROXY_ADMIN);

        private AccessPolicy policy(UnaryOperator<LiteLlmBlock> block) {
            return new AccessPolicy(settings(block).access());
        }

        private JwtAuthSettings settings(UnaryOperator<LiteLlmBlock> block) {
            return block.apply(new LiteLlmBlock().set("user_id_jwt_field", "sub")).settings();
        }

        private TokenClaims claims(UnaryOperator<LiteLlmBlock> block, Map<String, Object> claims) {
            return new ClaimReader(settings(block).claims()).read(claims);
        }

        @Test
        void aStoredAdminMayCallTheAdminRoutes() {
            UnaryOperator<LiteLlmBlock> block = b -> b;

            AccessGrant grant = policy(block).authorizeStoredAdmin(claims(block, Map.of("sub", "alice")),
                    INTERNAL_USER, STORED_ADMIN, "/user/new");

            assertThat(grant).isEqualTo(AccessGrant.PROXY_ADMIN);
        }

        @Test
        void aStoredAdminIsHeldToAdminAllowedRoutesLikeEveryAdmin() {
            UnaryOperator<LiteLlmBlock> block = b -> b;
            AccessPolicy policy = policy(block);

            assertThat(policy.adminMayCall("/user/new")).isTrue();
            assertThat(policy.adminMayCall("/chat/completions")).as("LiteLLM's default admin_allowed_routes")
                    .isFalse();
            assertThatThrownBy(() -> policy.authorizeStoredAdmin(claims(block, Map.of("sub", "alice")),
                    INTERNAL_USER, STORED_ADMIN, "/chat/completions"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("admin_route_not_allowed"));
        }

        @Test
        void aPublicRouteNeedsNoStoredRole() {
            assertThat(policy(b -> b.set("admin_allowed_routes", List.of("/health/liveliness")))
                    .adminMayCall("/health/liveliness")).isFalse();
        }

        @Test
        void theEmailDomainIsCheckedBeforeTheStoredRoleCounts() {
            // LiteLLM refuses a wrong domain before it reads the user row, so the row cannot make the caller an admin.
            UnaryOperator<LiteLlmBlock> block = b -> b.set("user_email_jwt_field", "email")
                    .set("user_allowed_email_domain", "example.com");

            assertThatThrownBy(() -> policy(block).authorizeStoredAdmin(claims(block, Map.of("sub", "alice",
                    "email", "alice@evil.test", "email_verified", true)), INTERNAL_USER, STORED_ADMIN, "/user/new"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("email_domain_not_allowed"));
        }

        @Test
        void rbacAppliesToTheTokensOwnRoleFirst() {
            // LiteLLM's check_rbac_role runs on the token's role before any row is read.
            UnaryOperator<LiteLlmBlock> block = b -> b.set("enforce_rbac", true).rolePermissions(List.of(
                    new RolePermission(ProxyRole.INTERNAL_USER, null, List.of("/chat/completions"))));

            assertThatThrownBy(() -> policy(block).authorizeStoredAdmin(claims(block, Map.of("sub", "alice")),
                    INTERNAL_USER, STORED_ADMIN, "/user/new"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("rbac_route_not_allowed"));
            assertThatThrownBy(() -> policy(block).authorizeStoredAdmin(claims(block, Map.of()), null,
                    STORED_ADMIN, "/user/new"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("rbac_role_unmatched"));
        }
    }
}
