package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.LiteLlmBlock;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.RolePermission;
import io.claimgate.model.ScopeMapping;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.claims.ClaimReader;
import io.claimgate.validator.claims.TokenClaims;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessPolicyTest {

    /** A request through the whole pure pipeline: read claims, resolve the role, authorize. */
    private static final class Request {
        private final JwtAuthSettings settings;
        private final CustomValidator validator;

        Request(UnaryOperator<LiteLlmBlock> settings) {
            this(settings, null);
        }

        Request(UnaryOperator<LiteLlmBlock> settings, CustomValidator validator) {
            this.settings = settings.apply(new LiteLlmBlock()).settings();
            this.validator = validator;
        }

        AccessGrant authorize(Map<String, Object> claims, String route, String model) {
            TokenClaims read = new ClaimReader(settings.claims()).read(claims);
            RoleResolution role = new RoleResolver(settings.roles()).resolve(read);
            return new AccessPolicy(settings.access(), validator).authorize(read, role, route, model);
        }
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(Request request, Map<String, Object> claims,
                                                                          String route, String model, int status) {
        return assertThatThrownBy(() -> request.authorize(claims, route, model))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    /** For parameterized cases: the request is either let in as a member or refused with 403. */
    private static void expectMember(Request request, Map<String, Object> claims, String route, String model,
                                     boolean allowed) {
        if (allowed) {
            assertThat(request.authorize(claims, route, model)).isEqualTo(AccessGrant.MEMBER);
        } else {
            refused(request, claims, route, model, 403);
        }
    }

    private static final Map<String, Object> ADMIN = Map.of("scope", "litellm_proxy_admin");
    private static final Map<String, Object> TEAM = Map.of("team_id", "eng");
    private static final Map<String, Object> USER = Map.of("sub", "u1");

    private static final UnaryOperator<LiteLlmBlock> IDS = b -> b.set("team_id_jwt_field", "team_id")
            .set("user_id_jwt_field", "sub");

    @Nested
    class PublicRoutes {

        @ParameterizedTest
        @CsvSource({"/", "/health/liveliness", "/routes"})
        void passWithoutAnyCaller(String route) {
            assertThat(new Request(b -> b.set("enforce_rbac", true)).authorize(Map.of(), route, null))
                    .isEqualTo(AccessGrant.PUBLIC);
        }

        @Test
        void skipTheCustomValidator() {
            assertThat(new Request(b -> b, claims -> false).authorize(Map.of(), "/", null))
                    .isEqualTo(AccessGrant.PUBLIC);
        }

        @Test
        void followTheConfiguredList() {
            Request request = new Request(b -> b.set("public_allowed_routes", List.of("/status")));

            assertThat(request.authorize(Map.of(), "/status", null)).isEqualTo(AccessGrant.PUBLIC);
            refused(request, Map.of(), "/", null, 403);
        }
    }

    @Nested
    class ProxyAdmin {

        @ParameterizedTest
        @CsvSource({"/team/new", "/key/generate", "/spend/logs", "/global/spend/report", "/key/info", "/health"})
        void mayCallTheDefaultAdminRoutes(String route) {
            assertThat(new Request(IDS).authorize(ADMIN, route, null)).isEqualTo(AccessGrant.PROXY_ADMIN);
        }

        @Test
        void isRefusedChatCompletionsByDefaultWithLiteLlmsMessage() {
            refused(new Request(IDS), ADMIN, "/chat/completions", "gpt-4", 403)
                    .hasMessageStartingWith("Admin not allowed to access this route. Route=/chat/completions, "
                            + "Allowed Routes=['/user/new', ")
                    .hasMessageContaining("'/global/spend/report'")
                    .satisfies(e -> assertThat(((AuthException) e).reason()).isEqualTo("admin_route_not_allowed"));
        }

        // Mirrors LiteLLM test_check_admin_access_result_includes_user_email (admin_allowed_routes=[/chat/completions]).
        @Test
        void mayCallChatCompletionsWhenListed() {
            assertThat(new Request(b -> b.set("admin_allowed_routes", List.of("/chat/completions")))
                    .authorize(ADMIN, "/chat/completions", "gpt-4")).isEqualTo(AccessGrant.PROXY_ADMIN);
        }

        @Test
        void isNotHeldToTheEmailDomain() {
            assertThat(new Request(b -> b.set("user_allowed_email_domain", "example.com")
                    .set("user_email_jwt_field", "email"))
                    .authorize(Map.of("scope", "litellm_proxy_admin", "email", "x@other.org"), "/team/new", null))
                    .isEqualTo(AccessGrant.PROXY_ADMIN);
        }
    }

    @Nested
    class Team {

        @ParameterizedTest
        @CsvSource({"/chat/completions", "/v1/embeddings", "/key/info", "/mcp/tools/list", "/engines/m/completions"})
        void mayCallTheDefaultTeamRoutes(String route) {
            assertThat(new Request(IDS).authorize(TEAM, route, "gpt-4")).isEqualTo(AccessGrant.MEMBER);
        }

        @ParameterizedTest
        @CsvSource({"/team/new", "/key/generate", "/spend/logs", "/v1/messages"})
        void isRefusedOtherRoutes(String route) {
            refused(new Request(IDS), TEAM, route, null, 403)
                    .hasMessageStartingWith("Team not allowed to access this route. Route=" + route);
        }

        @Test
        void followsTheConfiguredTeamRoutes() {
            Request request = new Request(b -> b.set("team_id_jwt_field", "team_id")
                    .set("team_allowed_routes", List.of("/v1/messages")));

            assertThat(request.authorize(TEAM, "/v1/messages", null)).isEqualTo(AccessGrant.MEMBER);
            refused(request, TEAM, "/chat/completions", null, 403);
        }
    }

    @Nested
    class OtherCallers {

        @ParameterizedTest
        @CsvSource({"/chat/completions", "/v1/messages", "/key/info", "/model/info"})
        void internalUsersMayCallLlmApiAndInfoRoutes(String route) {
            assertThat(new Request(IDS).authorize(USER, route, null)).isEqualTo(AccessGrant.MEMBER);
        }

        @Test
        void internalUsersAreRefusedManagementRoutes() {
            refused(new Request(IDS), USER, "/team/new", null, 403).hasMessage(
                    "Only proxy admin can be used to generate, delete, update info for new keys/users/teams. "
                            + "Route=/team/new. Your role=internal_user");
        }

        @Test
        void callersWithoutARoleGetTheSameRoutesWhenRbacIsOff() {
            Request request = new Request(b -> b);

            assertThat(request.authorize(Map.of("sub", "x"), "/chat/completions", "gpt-4"))
                    .isEqualTo(AccessGrant.MEMBER);
            refused(request, Map.of("sub", "x"), "/global/spend", null, 403).hasMessageEndingWith("Your role=unknown");
        }
    }

    @Nested
    class Rbac {

        @Test
        void refusesATokenWithoutRoleWithLiteLlmsMessage() {
            refused(new Request(b -> b.set("enforce_rbac", true)), Map.of("sub", "x"), "/chat/completions", null, 403)
                    .hasMessage("Unmatched token passed in. enforce_rbac is set to True. Token must belong to a "
                            + "proxy admin, team, or user.");
        }

        @Test
        void allowsARoleWithoutPermissionsEntry() {
            assertThat(new Request(b -> IDS.apply(b)
                    .set("enforce_rbac", true)).authorize(TEAM, "/chat/completions", "gpt-4"))
                    .isEqualTo(AccessGrant.MEMBER);
        }

        @Test
        void limitsModelsByTheFirstEntryForTheRole() {
            Request request = new Request(b -> IDS.apply(b).set("enforce_rbac", true).rolePermissions(List.of(
                    new RolePermission(ProxyRole.TEAM, List.of("gpt-4"), null),
                    new RolePermission(ProxyRole.TEAM, List.of("claude-3"), null))));

            assertThat(request.authorize(TEAM, "/chat/completions", "gpt-4")).isEqualTo(AccessGrant.MEMBER);
            assertThat(request.authorize(TEAM, "/chat/completions", null)).isEqualTo(AccessGrant.MEMBER);
            refused(request, TEAM, "/chat/completions", "claude-3", 403)
                    .hasMessage("The requested model 'claude-3' is not available for this API key, or the model name is invalid. "
                            + "Check the models available to you and try again.");
        }

        @Test
        void limitsRoutesIncludingGroups() {
            Request request = new Request(b -> IDS.apply(b).set("enforce_rbac", true).rolePermissions(List.of(
                    new RolePermission(ProxyRole.INTERNAL_USER, null, List.of("anthropic_routes")))));

            assertThat(request.authorize(USER, "/v1/messages", "any")).isEqualTo(AccessGrant.MEMBER);
            refused(request, USER, "/chat/completions", null, 403).hasMessage(
                    "Role=internal_user not allowed to call route=/chat/completions. Allowed routes=['anthropic_routes']");
        }

        // Mirrors LiteLLM test_can_rbac_role_call_route.
        @Test
        void mirrorsLiteLlmsRoleRouteCase() {
            refused(new Request(b -> IDS.apply(b).set("enforce_rbac", true).rolePermissions(List.of(
                    new RolePermission(ProxyRole.TEAM, null, List.of("/v1/chat/completions"))))),
                    TEAM, "/v1/embeddings", null, 403);
        }

        @Test
        void appliesToAdminsToo() {
            Request request = new Request(b -> b.set("enforce_rbac", true).rolePermissions(List.of(
                    new RolePermission(ProxyRole.PROXY_ADMIN, List.of(), List.of("/team/new")))));

            assertThat(request.authorize(ADMIN, "/team/new", null)).isEqualTo(AccessGrant.PROXY_ADMIN);
            // The admin's role permissions deny the model: LiteLLM's generic message, the rule named by the reason.
            refused(request, ADMIN, "/team/new", "gpt-4", 403)
                    .hasMessage("The requested model 'gpt-4' is not available for this API key, or the model name is "
                            + "invalid. Check the models available to you and try again.")
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("rbac_model_not_allowed"));
            refused(request, ADMIN, "/team/update", null, 403).hasMessageContaining("route=/team/update");
        }

        @Test
        void requiresAUserOrTeamForSpendTracking() {
            AccessPolicy policy = new AccessPolicy(new LiteLlmBlock().set("enforce_rbac", true).settings().access());

            assertThatCode(() -> policy.requireUserOrTeam("u", null)).doesNotThrowAnyException();
            assertThatCode(() -> policy.requireUserOrTeam(null, "t")).doesNotThrowAnyException();
            assertThatThrownBy(() -> policy.requireUserOrTeam(null, null)).isInstanceOfSatisfying(AuthException.class,
                    e -> assertThat(e.getMessage()).startsWith("No user or team id found in token. enforce_rbac"));
            assertThatCode(() -> new AccessPolicy(JwtAuthSettings.defaults().access()).requireUserOrTeam(null, null))
                    .doesNotThrowAnyException();
        }
    }

    @Nested
    class ScopeMappings {

        private final UnaryOperator<LiteLlmBlock> models = b -> IDS.apply(b).set("enforce_scope_based_access", true)
                .set("scope_mappings", List.of(Map.of("scope", "llm.gpt", "models", List.of("gpt-4", "gpt-4o"),
                        "routes", List.of()),
                        Map.of("scope", "llm.claude", "models", List.of("claude-*"), "routes", List.of())));

        @Test
        void allowsAModelOneOfTheTokensScopesMaps() {
            Request request = new Request(models);

            assertThat(request.authorize(Map.of("sub", "u", "scope", "llm.gpt"), "/chat/completions", "gpt-4o"))
                    .isEqualTo(AccessGrant.MEMBER);
            assertThat(request.authorize(Map.of("sub", "u", "scope", "llm.gpt llm.claude"), "/chat/completions",
                    "claude-3")).isEqualTo(AccessGrant.MEMBER);
        }

        @Test
        void refusesAModelNoScopeMapsWithLiteLlmsMessage() {
            refused(new Request(models), Map.of("sub", "u", "scope", "llm.gpt"), "/chat/completions", "claude-3", 403)
                    .hasMessage("The requested model 'claude-3' is not available for this API key, or the model name is invalid. "
                            + "Check the models available to you and try again.");
        }

        @Test
        void refusesEveryModelToATokenWithoutMappedScopes() {
            refused(new Request(models), Map.of("sub", "u"), "/chat/completions", "gpt-4", 403)
                    .hasMessage("The requested model 'gpt-4' is not available for this API key, or the model name is invalid. "
                            + "Check the models available to you and try again.");
        }

        @Test
        void allowsARequestWithoutModel() {
            assertThat(new Request(models).authorize(Map.of("sub", "u"), "/key/info", null))
                    .isEqualTo(AccessGrant.MEMBER);
        }

        @Test
        void limitsRoutesOnceAnyMappingNamesRoutes() {
            Request request = new Request(b -> IDS.apply(b).set("enforce_scope_based_access", true)
                    .set("scope_mappings", List.of(
                    Map.of("scope", "chat", "models", List.of("*"), "routes", List.of("/chat/completions")),
                    Map.of("scope", "embed", "models", List.of("*"), "routes", List.of("/embeddings")))));

            assertThat(request.authorize(Map.of("sub", "u", "scope", "chat"), "/chat/completions", "m"))
                    .isEqualTo(AccessGrant.MEMBER);
            refused(request, Map.of("sub", "u", "scope", "chat"), "/embeddings", "m", 403)
                    .hasMessage("route=/embeddings not allowed. Allowed_routes=['/chat/completions']");
        }

        @Test
        void aMappingWithoutRoutesAllowsEveryRouteForItsModels() {
            Request request = new Request(b -> IDS.apply(b).set("enforce_scope_based_access", true)
                    .set("scope_mappings", List.of(
                    Map.of("scope", "chat", "models", List.of("gpt-4"), "routes", List.of("/chat/completions")),
                    Map.of("scope", "any-route", "models", List.of("gpt-4"), "routes", List.of()))));

            assertThat(request.authorize(Map.of("sub", "u", "scope", "chat any-route"), "/embeddings", "gpt-4"))
                    .isEqualTo(AccessGrant.MEMBER);
            refused(request, Map.of("sub", "u"), "/key/info", null, 403);
        }

        // Mirrors LiteLLM test_check_scope_based_access (tests/proxy_unit_tests/test_jwt.py).
        @ParameterizedTest
        @CsvSource({"gpt-3.5-turbo-testing, true", "gpt-4o, false"})
        void mirrorsLiteLlmsScopeBasedAccessCase(String model, boolean allowed) {
            Request request = new Request(b -> b.set("team_id_jwt_field", "client_id").set("enforce_rbac", true)
                    .set("enforce_scope_based_access", true).set("scope_mappings", List.of(
                            Map.of("scope", "litellm.api.consumer", "models", List.of("anthropic-claude"),
                                    "routes", List.of("/v1/chat/completions")),
                            Map.of("scope", "litellm.api.gpt_3_5_turbo", "models", List.of("gpt-3.5-turbo-testing")))));
            Map<String, Object> claims = Map.of("client_id", "team-1",
                    "scope", "profile groups-scope email litellm.api.gpt_3_5_turbo litellm.api.consumer");

            expectMember(request, claims, "/v1/chat/completions", model, allowed);
        }

        @Test
        void isOffUnlessEnforced() {
            Request request = new Request(b -> IDS.apply(b)
                    .set("scope_mappings", List.of(Map.of("scope", "llm.gpt", "models", List.of("gpt-4"),
                            "routes", List.of()))));

            assertThat(request.authorize(USER, "/chat/completions", "claude-3")).isEqualTo(AccessGrant.MEMBER);
        }
    }

    @Nested
    class EmailDomain {

        private final Request request = new Request(b -> IDS.apply(b).set("user_email_jwt_field", "email")
                .set("user_allowed_email_domain", "example.com"));

        @Test
        void allowsTheExactDomain() {
            assertThat(request.authorize(Map.of("sub", "u", "email", "a@example.com", "email_verified", true),
                    "/chat/completions", null)).isEqualTo(AccessGrant.MEMBER);
        }

        @ParameterizedTest
        @CsvSource({"a@sub.example.com", "a@example.com.evil.org", "a@EXAMPLE.COM", "example.com@evil.org"})
        void refusesAnyOtherDomain(String email) {
            refused(request, Map.of("sub", "u", "email", email, "email_verified", true), "/chat/completions", null,
                    403).hasMessage("Email domain not allowed. User email: " + email + ". Allowed domain: example.com")
                    .satisfies(e -> assertThat(((AuthException) e).param()).isEqualTo("user_email"));
        }

        @Test
        void comparesThePartAfterTheLastAt() {
            assertThat(request.authorize(Map.of("sub", "u", "email", "odd@name@example.com", "email_verified", true),
                    "/chat/completions", null)).isEqualTo(AccessGrant.MEMBER);
        }

        // Mirrors LiteLLM test_allow_access_by_email (user_allowed_email_domain=berri.ai).
        @ParameterizedTest
        @CsvSource({"ishaan@berri.ai, true", "krrish@tassle.xyz, false"})
        void mirrorsLiteLlmsEmailDomainCase(String email, boolean allowed) {
            Request berri = new Request(b -> b.set("user_email_jwt_field", "email")
                    .set("user_allowed_email_domain", "berri.ai")
                    .set("user_id_upsert", true));
            Map<String, Object> claims = Map.of("sub", "user123", "scope", "litellm_team", "client_id", "t",
                    "email", email, "email_verified", true);

            expectMember(berri, claims, "/chat/completions", null, allowed);
        }

        @Test
        void refusesATokenWithoutEmail() {
            refused(request, Map.of("sub", "u"), "/chat/completions", null, 403)
                    .hasMessage("Email domain not allowed. User email: None. Allowed domain: example.com");
        }

        @ParameterizedTest
        @CsvSource({"false", "'false'", "'yes'", "1"})
        void refusesTheRightDomainWhenTheEmailIsNotVerified(String verified) {
            Object flag = "false".equals(verified) ? Boolean.FALSE : "1".equals(verified) ? (Object) 1 : verified;

            refused(request, Map.of("sub", "u", "email", "a@example.com", "email_verified", flag),
                    "/chat/completions", null, 403)
                    .hasMessage("Email domain not allowed. User email: a@example.com is not verified "
                            + "(email_verified is not true). Allowed domain: example.com")
                    .satisfies(e -> assertThat(((AuthException) e).reason()).isEqualTo("email_not_verified"));
        }

        @Test
        void refusesTheRightDomainWhenTheTokenSaysNothingOfVerification() {
            refused(request, Map.of("sub", "u", "email", "a@example.com"), "/chat/completions", null, 403)
                    .satisfies(e -> assertThat(((AuthException) e).reason()).isEqualTo("email_not_verified"));
        }

        @Test
        void acceptsTheStringTrueSomeProvidersSend() {
            assertThat(request.authorize(Map.of("sub", "u", "email", "a@example.com", "email_verified", "true"),
                    "/chat/completions", null)).isEqualTo(AccessGrant.MEMBER);
        }

        @Test
        void trustsAnUnverifiedEmailOnlyWhenConfiguredTo() {
            Request loose = new Request(b -> IDS.apply(b).set("user_email_jwt_field", "email")
                    .set("user_allowed_email_domain", "example.com").set("trust_unverified_email", true));

            assertThat(loose.authorize(Map.of("sub", "u", "email", "a@example.com"), "/chat/completions", null))
                    .isEqualTo(AccessGrant.MEMBER);
        }
    }

    @Nested
    class CustomValidation {

        @Test
        void refusesWhenTheValidatorSaysNo() {
            refused(new Request(IDS, claims -> !"blocked".equals(claims.get("sub"))), Map.of("sub", "blocked"),
                    "/chat/completions", null, 403).hasMessage("Invalid JWT token");
        }

        @Test
        void refusesWhenTheValidatorThrows() {
            refused(new Request(IDS, claims -> {
                throw new IllegalStateException("boom");
            }), USER, "/chat/completions", null, 403).hasMessage("Invalid JWT token");
        }

        @Test
        void allowsWhenTheValidatorSaysYesAndSeesTheRawClaims() {
            assertThat(new Request(IDS, claims -> "u1".equals(claims.get("sub")))
                    .authorize(USER, "/chat/completions", null)).isEqualTo(AccessGrant.MEMBER);
        }

        // Mirrors LiteLLM test_custom_validate_called: the validator sees the verified claims as they are.
        @Test
        void passesTheVerifiedClaimsToTheValidator() {
            java.util.List<Map<String, Object>> seen = new java.util.ArrayList<>();
            new Request(b -> b, claims -> seen.add(claims)).authorize(Map.of("sub", "test_user"),
                    "/chat/completions", null);

            assertThat(seen).containsExactly(Map.of("sub", "test_user"));
        }

        @Test
        void runsBeforeRbac() {
            refused(new Request(b -> b.set("enforce_rbac", true), claims -> false),
                    Map.of(), "/chat/completions", null, 403)
                    .hasMessage("Invalid JWT token");
        }
    }
}
