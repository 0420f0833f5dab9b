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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The route rights of LiteLLM's view-only roles under JWT ({@code route_checks.py}'s
 * {@code _check_proxy_admin_viewer_access}): a {@code proxy_admin_viewer} reads what an admin may read and writes
 * nothing; an {@code internal_user_viewer} keeps a member's routes.
 */
class AdminViewerRoutesTest {

    private static final RoleResolution VIEWER = RoleResolution.of(ProxyRole.PROXY_ADMIN_VIEWER);
    private static final RoleResolution INTERNAL_USER = RoleResolution.of(ProxyRole.INTERNAL_USER);

    private static JwtAuthSettings settings(UnaryOperator<LiteLlmBlock> block) {
        return block.apply(new LiteLlmBlock().set("user_id_jwt_field", "sub")).settings();
    }

    private static AccessPolicy policy(UnaryOperator<LiteLlmBlock> block) {
        return new AccessPolicy(settings(block).access());
    }

    private static TokenClaims claims(UnaryOperator<LiteLlmBlock> block, Map<String, Object> claims) {
        return new ClaimReader(settings(block).claims()).read(claims);
    }

    private static AccessGrant viewerCalls(String route) {
        return policy(b -> b).authorizeRoute(claims(b -> b, Map.of()), VIEWER, route);
    }

    @Nested
    class ProxyAdminViewer {

        @ParameterizedTest
        @ValueSource(strings = {"/team/info", "/team/list", "/v2/team/list", "/user/info", "/user/list",
                "/organization/list", "/key/info", "/key/list", "/jwt/key/mapping/list"})
        void readsWhatAnAdminMayRead(String route) {
            assertThat(viewerCalls(route)).isEqualTo(AccessGrant.VIEWER);
        }

        // LiteLLM's _ADMIN_VIEWER_BLOCKED_WRITE_ROUTES, and the other writes of management_routes
        @ParameterizedTest
        @ValueSource(strings = {"/user/new", "/user/delete", "/user/bulk_update", "/user/update", "/team/new",
                "/team/update", "/team/delete", "/team/block", "/team/member_add", "/model/new", "/model/update",
                "/model/delete", "/key/generate", "/key/delete", "/key/update", "/key/regenerate",
                "/key/service-account/generate", "/key/block", "/key/unblock", "/key/sk-1/regenerate",
                "/organization/new", "/customer/new"})
        void isRefusedEveryWrite(String route) {
            assertThatThrownBy(() -> viewerCalls(route))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.reason()).isEqualTo("viewer_route_not_allowed");
                        assertThat(e.getMessage()).isEqualTo("user not allowed to access this route, role= "
                                + "proxy_admin_viewer. Trying to access: " + route);
                    });
        }

        @Test
        void callsModelsOnlyAsAMemberWhoseTeamAndUserRightsDecide() {
            // LiteLLM's non_proxy_admin_allowed_routes_check lets LLM routes through for every role; the model,
            // team and budget checks of a member follow.
            assertThat(viewerCalls("/chat/completions")).isEqualTo(AccessGrant.MEMBER);
            assertThat(viewerCalls("/v1/vector_store/list")).as("an LLM route is never a viewer's free read")
                    .isEqualTo(AccessGrant.MEMBER);
        }

        @Test
        void neverReadsMoreThanAnAdminMay() {
            UnaryOperator<LiteLlmBlock> block = b -> b.set("admin_allowed_routes", List.of("/user/info"));
            AccessPolicy policy = policy(block);

            assertThat(policy.authorizeRoute(claims(block, Map.of()), VIEWER, "/user/info"))
                    .isEqualTo(AccessGrant.VIEWER);
            assertThatThrownBy(() -> policy.authorizeRoute(claims(block, Map.of()), VIEWER, "/team/info"))
                    .as("not even as a member: a viewer's read is always the read rule's")
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("viewer_route_not_allowed"));
        }

        @Test
        void isHeldToTheEmailDomainLikeEveryCaller() {
            UnaryOperator<LiteLlmBlock> block = b -> b.set("user_email_jwt_field", "email")
                    .set("user_allowed_email_domain", "example.com");

            assertThatThrownBy(() -> policy(block).authorizeRoute(claims(block, Map.of("email", "eve@evil.test",
                    "email_verified", true)), VIEWER, "/team/list"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("email_domain_not_allowed"));
        }

        @Test
        void comesFromRoleMappingsAndFromTheJwtLitellmRoleMap() {
            Map<String, Object> auditor = Map.of("roles", List.of("auditor"));
            UnaryOperator<LiteLlmBlock> mapped = b -> b.set("roles_jwt_field", "roles").set("role_mappings",
                    List.of(Map.of("role", "auditor", "internal_role", "proxy_admin_viewer")));
            UnaryOperator<LiteLlmBlock> globbed = b -> b.set("roles_jwt_field", "roles").set("jwt_litellm_role_map",
                    List.of(Map.of("jwt_role", "audit*", "litellm_role", "proxy_admin_viewer")));

            for (UnaryOperator<LiteLlmBlock> block : List.of(mapped, globbed)) {
                JwtAuthSettings settings = block.apply(new LiteLlmBlock()).settings();
                TokenClaims claims = new ClaimReader(settings.claims()).read(auditor);
                RoleResolution role = new RoleResolver(settings.roles()).resolve(claims);
                AccessPolicy policy = new AccessPolicy(settings.access());

                assertThat(role.role()).isEqualTo(ProxyRole.PROXY_ADMIN_VIEWER);
                assertThat(policy.authorizeRoute(claims, role, "/team/list")).isEqualTo(AccessGrant.VIEWER);
                assertThatThrownBy(() -> policy.authorizeRoute(claims, role, "/team/new"))
                        .isInstanceOf(AuthException.class);
            }
        }
    }

    @Nested
    class InternalUserViewer {

        private final RoleResolution internalViewer = RoleResolution.of(ProxyRole.INTERNAL_USER_VIEWER);

        @Test
        void keepsAMembersRoutesWithoutTheAdminReads() {
            AccessPolicy policy = policy(b -> b);
            TokenClaims claims = claims(b -> b, Map.of());

            assertThat(policy.authorizeRoute(claims, internalViewer, "/user/info")).isEqualTo(AccessGrant.MEMBER);
            assertThat(policy.authorizeRoute(claims, internalViewer, "/chat/completions"))
                    .isEqualTo(AccessGrant.MEMBER);
            assertThatThrownBy(() -> policy.authorizeRoute(claims, internalViewer, "/user/list"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("route_not_allowed"));
            assertThatThrownBy(() -> policy.authorizeRoute(claims, internalViewer, "/key/generate"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("route_not_allowed"));
        }
    }

    @Nested
    class StoredViewer {

        @Test
        void aStoredViewerIsAViewerWhateverTheTokenSaysBelowAdmin() {
            RoleResolution acting = RoleResolver.withStoredRole(new RoleResolution(ProxyRole.INTERNAL_USER, null,
                    "object-user"), ProxyRole.PROXY_ADMIN_VIEWER);

            assertThat(acting.role()).isEqualTo(ProxyRole.PROXY_ADMIN_VIEWER);
            assertThat(acting.objectUserId()).isEqualTo("object-user");
            assertThat(RoleResolver.withStoredRole(null, ProxyRole.PROXY_ADMIN_VIEWER)).isEqualTo(VIEWER);
        }

        @Test
        void neverTakesAnAdminTokenDown() {
            RoleResolution admin = RoleResolution.of(ProxyRole.PROXY_ADMIN);

            assertThat(RoleResolver.withStoredRole(admin, ProxyRole.PROXY_ADMIN_VIEWER)).isSameAs(admin);
            assertThat(RoleResolver.withStoredRole(VIEWER, ProxyRole.PROXY_ADMIN_VIEWER)).isSameAs(VIEWER);
            assertThat(RoleResolver.withStoredRole(VIEWER, ProxyRole.PROXY_ADMIN).role())
                    .as("a stored admin lifts a viewer token").isEqualTo(ProxyRole.PROXY_ADMIN);
        }

        @Test
        void readsButIsRefusedWrites() {
            AccessPolicy policy = policy(b -> b);
            TokenClaims claims = claims(b -> b, Map.of("sub", "carol"));

            assertThat(policy.authorizeStoredViewer(claims, INTERNAL_USER, VIEWER, "/team/info"))
                    .isEqualTo(AccessGrant.VIEWER);
            assertThatThrownBy(() -> policy.authorizeStoredViewer(claims, INTERNAL_USER, VIEWER, "/team/new"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("viewer_route_not_allowed"));
        }

        @Test
        void rbacAppliesToTheTokensOwnRoleFirst() {
            UnaryOperator<LiteLlmBlock> block = b -> b.set("enforce_rbac", true).rolePermissions(List.of(
                    new RolePermission(ProxyRole.INTERNAL_USER, null, List.of("/chat/completions"))));

            assertThatThrownBy(() -> policy(block).authorizeStoredViewer(claims(block, Map.of("sub", "carol")),
                    INTERNAL_USER, VIEWER, "/team/info"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("rbac_route_not_allowed"));
        }

        @Test
        void onlyAViewerRoleIsAcceptedAsTheStoredViewer() {
            assertThatThrownBy(() -> policy(b -> b).authorizeStoredViewer(claims(b -> b, Map.of()), null,
                    INTERNAL_USER, "/team/info")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Reads {

        @ParameterizedTest
        @ValueSource(strings = {"/team/info", "/user/list", "/v2/team/list", "/v1/model/info"})
        void aRouteEndingInInfoOrListIsARead(String route) {
            assertThat(ReadRoutes.isRead(route)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"/team/new", "/team/information", "/team/info/x", "/mylist", "info", ""})
        void anyOtherRouteIsNot(String route) {
            assertThat(ReadRoutes.isRead(route)).isFalse();
        }
    }
}
