package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.AuthResult;
import io.claimgate.model.Budget;
import io.claimgate.model.EndUser;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.Organization;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.RolePermission;
import io.claimgate.model.ScopeMapping;
import io.claimgate.model.SettingsException;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.token.StaticKeySource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The pipeline's decisions, over a directory in memory; the stages are tested on their own and with real servers. */
class ProxyAuthenticatorTest {

    private static final TokenMint MINT = new TokenMint("kc-1");

    private final MovableClock clock = new MovableClock(Instant.now());
    private final InMemoryDirectory directory = new InMemoryDirectory()
            .team(team("research", List.of("gpt-4o-mini", "openai/*"), false, null, 0))
            .team(team("support", List.of("claude-3-haiku"), false, null, 0))
            .team(team("frozen", List.of(), true, null, 0))
            .team(team("broke", List.of(), false, 10.0, 10.5))
            .user(new User("alice", "alice@example.com", null, ProxyRole.INTERNAL_USER, null, List.of("research"),
                    List.of(), null, 0))
            .organization(new Organization("acme", "Acme", List.of(), 0, new Budget("b1", 100.0, null)))
            .endUser(new EndUser("blocked-customer", null, 0, true, null));

    private LiteLlmBlock block() {
        return new LiteLlmBlock()
                .set("team_id_jwt_field", "team_id")
                .set("team_ids_jwt_field", "team_ids")
                .set("user_id_jwt_field", "preferred_username")
                .set("user_email_jwt_field", "email")
                .set("org_id_jwt_field", "org_id")
                .set("end_user_id_jwt_field", "customer_id")
                .issuer(TokenMint.ISSUER)
                .audiences(List.of(TokenMint.AUDIENCE));
    }

    private ProxyAuthenticator authenticator(JwtAuthSettings settings) {
        return ProxyAuthenticator.builder(settings)
                .keySource(StaticKeySource.of(MINT.publicKey()))
                .directory(directory)
                .clock(clock)
                .build();
    }

    private final ProxyAuthenticator auth = authenticator(block().settings());
    /** Teams from team_ids alone: with team_id_jwt_field set, a token without team_id is refused (LiteLLM). */
    private final ProxyAuthenticator teamListAuth = authenticator(block().set("team_id_jwt_field", null).settings());

    private String token(Map<String, Object> claims) {
        return MINT.token(clock.instant(), claims);
    }

    private static Team team(String id, List<String> models, boolean blocked, Double maxBudget, double spend) {
        return new Team(id, id + "-alias", null, models, maxBudget, spend, blocked, Map.of());
    }

    private static AuthException refusal(ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(AuthException.class);
        return (AuthException) thrown;
    }

    @Nested
    class TeamTokens {

        @Test
        void allowsATeamMemberToCallAModelOfTheTeam() {
            AuthResult result = auth.authenticate(AuthRequest.of(
                    token(Map.of("team_id", "research", "preferred_username", "alice", "email", "alice@example.com")),
                    "/chat/completions", "gpt-4o-mini"));

            assertThat(result.proxyAdmin()).isFalse();
            assertThat(result.role()).isEqualTo(ProxyRole.TEAM);
            assertThat(result.teamId()).isEqualTo("research");
            assertThat(result.team().models()).contains("gpt-4o-mini");
            assertThat(result.userId()).isEqualTo("alice");
            assertThat(result.user().userEmail()).isEqualTo("alice@example.com");
            assertThat(result.tokenHash()).hasSize(64);
        }

        @Test
        void allowsAProviderWildcardModelOfTheTeam() {
            AuthResult result = auth.authenticate(AuthRequest.of(token(Map.of("team_id", "research")),
                    "/v1/chat/completions", "openai/gpt-4.1"));

            assertThat(result.teamId()).isEqualTo("research");
        }

        @Test
        void refusesAModelTheTeamDoesNotHaveWith403() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(token(Map.of("team_id", "research")),
                    "/chat/completions", "claude-3-haiku")));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.type()).isEqualTo(ErrorType.TEAM_MODEL_ACCESS_DENIED);
            assertThat(e.getMessage()).contains("claude-3-haiku");
        }

        @Test
        void refusesATeamThatIsNotInTheDatabaseWith404() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(token(Map.of("team_id", "ghosts")),
                    "/chat/completions", "gpt-4o-mini")));

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).isEqualTo(
                    "Team doesn't exist in db. Team=ghosts. Create team via `/team/new` call.");
        }

        @Test
        void refusesABlockedTeamWith403() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(token(Map.of("team_id", "frozen")),
                    "/chat/completions", "gpt-4o-mini")));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.reason()).isEqualTo("team_blocked");
        }

        @Test
        void refusesATeamOverItsBudgetWith400() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(token(Map.of("team_id", "broke")),
                    "/chat/completions", "gpt-4o-mini")));

            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isEqualTo(ErrorType.BUDGET_EXCEEDED);
        }

        @Test
        void refusesATeamTokenOnAManagementRoute() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(token(Map.of("team_id", "research")),
                    "/team/new", null)));

            assertThat(e.status()).isEqualTo(403);
        }

        @Test
        void seesABlockedTeamAtOnceEvenForAKnownToken() {
            String token = token(Map.of("team_id", "support"));
            auth.authenticate(AuthRequest.of(token, "/chat/completions", "claude-3-haiku"));

            directory.team(team("support", List.of("claude-3-haiku"), true, null, 0));

            assertThat(refusal(() -> auth.authenticate(AuthRequest.of(token, "/chat/completions", "claude-3-haiku")))
                    .reason()).isEqualTo("team_blocked");
        }
    }

    @Nested
    class SeveralTeams {

        @Test
        void choosesTheFirstTeamWithTheRequestedModel() {
            AuthResult result = teamListAuth.authenticate(AuthRequest.of(
                    token(Map.of("team_ids", List.of("research", "support"))), "/chat/completions",
                    "claude-3-haiku"));

            assertThat(result.teamId()).isEqualTo("support");
        }

        @Test
        void refusesAModelNoTeamHasWith403() {
            AuthException e = refusal(() -> teamListAuth.authenticate(AuthRequest.of(
                    token(Map.of("team_ids", List.of("research", "support"))), "/chat/completions", "gemini-pro")));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).startsWith("No team has access to the requested model: gemini-pro.");
        }

        // Mirrors LiteLLM find_and_validate_specific_team_id: team_id_jwt_field makes that claim decide.
        @Test
        void refusesATokenListingOnlyTeamIdsOnceTheTeamIdFieldIsSet() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(
                    token(Map.of("team_ids", List.of("research", "support"))), "/chat/completions",
                    "claude-3-haiku")));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.reason()).isEqualTo("team_missing");
        }

        @Test
        void takesTheTeamNamedByTheHeaderWhenItIsOneOfTheTokensTeams() {
            AuthResult result = auth.authenticate(new AuthRequest(
                    token(Map.of("team_ids", List.of("research", "support"))), "/chat/completions", null, "support",
                    null));

            assertThat(result.teamId()).isEqualTo("support");
        }

        @Test
        void refusesAHeaderTeamTheTokenDoesNotCarry() {
            AuthException e = refusal(() -> auth.authenticate(new AuthRequest(
                    token(Map.of("team_ids", List.of("research"))), "/chat/completions", null, "support", null)));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.reason()).isEqualTo("team_header_not_allowed");
        }

        @Test
        void requiresATeamIdOnlyWhenTheTokenListsNoTeams() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(
                    token(Map.of("preferred_username", "alice")), "/chat/completions", "gpt-4o-mini")));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).startsWith("No team found in token. Checked team_id field 'team_id'");
        }
    }

    @Nested
    class Admins {

        private final String adminToken = token(Map.of("scope", "openid email litellm_proxy_admin"));

        @Test
        void letsAnAdminCallManagementRoutesWithoutObjects() {
            AuthResult result = auth.authenticate(AuthRequest.of(adminToken, "/team/new", null));

            assertThat(result.proxyAdmin()).isTrue();
            assertThat(result.role()).isEqualTo(ProxyRole.PROXY_ADMIN);
            assertThat(result.team()).isNull();
        }

        @Test
        void refusesAnAdminOnChatCompletionsByDefaultAsLiteLlmDoes() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(adminToken, "/chat/completions",
                    "gpt-4o-mini")));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).startsWith("Admin not allowed to access this route. Route=/chat/completions");
        }
    }

    @Nested
    class Users {

        @Test
        void refusesAnUnknownUserWithoutUpsertWith401() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(
                    token(Map.of("team_id", "research", "preferred_username", "mallory")), "/chat/completions",
                    "gpt-4o-mini")));

            assertThat(e.status()).isEqualTo(401);
            assertThat(e.reason()).isEqualTo("user_not_found");
        }

        @Test
        void createsAnUnknownUserWithUpsert() {
            ProxyAuthenticator upserting = authenticator(block().set("user_id_upsert", true).settings());

            AuthResult result = upserting.authenticate(AuthRequest.of(token(Map.of("team_id", "research",
                    "preferred_username", "dora", "email", "dora@example.com", "email_verified", true)),
                    "/chat/completions", "gpt-4o-mini"));

            assertThat(result.user().userId()).isEqualTo("dora");
            assertThat(directory.users).containsKey("dora");
            assertThat(directory.users.get("dora").userEmail()).isEqualTo("dora@example.com");
        }

        @Test
        void findsAUserByEmailCaseInsensitively() {
            AuthResult result = auth.authenticate(AuthRequest.of(token(Map.of("team_id", "research",
                    "preferred_username", "a.smith", "email", "ALICE@example.com", "email_verified", true)),
                    "/chat/completions", null));

            assertThat(result.user().userId()).isEqualTo("alice");
        }

        @Test
        void neverFindsAUserByAnUnverifiedEmail() {
            // given alice's row, and a token of another subject that claims her e-mail without it being verified
            String token = token(Map.of("team_id", "research", "preferred_username", "a.smith",
                    "email", "alice@example.com", "email_verified", false));

            // when / then: the e-mail identifies nobody, so a.smith is an unknown user
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(token, "/chat/completions", null)));
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.reason()).isEqualTo("user_not_found");
        }

        @Test
        void findsAUserByAnUnverifiedEmailWhenTrustUnverifiedEmailIsSet() {
            ProxyAuthenticator loose = authenticator(block().set("trust_unverified_email", true).settings());

            AuthResult result = loose.authenticate(AuthRequest.of(token(Map.of("team_id", "research",
                    "preferred_username", "a.smith", "email", "alice@example.com")), "/chat/completions", null));

            assertThat(result.user().userId()).isEqualTo("alice");
            assertThat(result.userEmail()).isEqualTo("alice@example.com");
        }

        @Test
        void neitherStoresNorReportsAnUnverifiedEmail() {
            ProxyAuthenticator upserting = authenticator(block().set("user_id_upsert", true).settings());

            AuthResult result = upserting.authenticate(AuthRequest.of(token(Map.of("team_id", "research",
                    "preferred_username", "eve", "email", "alice@example.com")), "/chat/completions", null));

            assertThat(result.user().userId()).isEqualTo("eve");
            assertThat(directory.users.get("eve").userEmail()).isNull();
            assertThat(result.userEmail()).isNull();
        }
    }

    @Nested
    class OrganizationsAndEndUsers {

        @Test
        void refusesAnOrganizationNotInTheDatabaseWith401() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(
                    token(Map.of("team_id", "research", "org_id", "initech")), "/chat/completions", null)));

            assertThat(e.status()).isEqualTo(401);
            assertThat(e.reason()).isEqualTo("org_not_found");
        }

        @Test
        void loadsTheTokensOrganization() {
            AuthResult result = auth.authenticate(AuthRequest.of(
                    token(Map.of("team_id", "research", "org_id", "acme")), "/chat/completions", null));

            assertThat(result.orgId()).isEqualTo("acme");
            assertThat(result.org().budget().maxBudget()).isEqualTo(100.0);
        }

        @Test
        void refusesABlockedEndUserWith403() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(
                    token(Map.of("team_id", "research", "customer_id", "blocked-customer")), "/chat/completions",
                    null)));

            assertThat(e.status()).isEqualTo(403);
        }

        @Test
        void takesTheEndUserFromTheRequestWhenTheTokenNamesNone() {
            AuthResult result = auth.authenticate(new AuthRequest(token(Map.of("team_id", "research")),
                    "/chat/completions", null, null, "new-customer"));

            assertThat(result.endUserId()).isEqualTo("new-customer");
            assertThat(result.endUser()).isNull();
        }
    }

    @Nested
    class Tokens {

        @Test
        void refusesARequestWithoutTokenWith401() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(null, "/chat/completions", null)));

            assertThat(e.status()).isEqualTo(401);
        }

        @Test
        void letsAPublicRouteThroughWithoutToken() {
            AuthResult result = auth.authenticate(AuthRequest.of(null, "/health/liveliness", null));

            assertThat(result.role()).isNull();
            assertThat(result.proxyAdmin()).isFalse();
        }

        @Test
        void refusesAForgedTokenWith401() {
            String forged = new TokenMint("kc-1").token(clock.instant(), Map.of("team_id", "research"));

            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(forged, "/chat/completions", null)));

            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage()).startsWith("Validation fails");
        }

        @Test
        void remembersAVerifiedTokenUntilItExpires() {
            String token = token(Map.of("team_id", "research"));
            auth.authenticate(AuthRequest.of(token, "/chat/completions", null));
            auth.authenticate(AuthRequest.of(token, "/chat/completions", null));

            assertThat(auth.knownTokenCount()).isEqualTo(1);

            clock.advance(Duration.ofHours(2));

            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(token, "/chat/completions", null)));
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage()).isEqualTo("Token Expired");
            assertThat(e.type()).isEqualTo(ErrorType.EXPIRED_KEY);
        }

        @Test
        void keysTheCacheOnTheWholeTokenNotAPrefix() {
            String token = token(Map.of("team_id", "research"));
            auth.authenticate(AuthRequest.of(token, "/chat/completions", null));
            String sameStartOtherSignature = token.substring(0, token.length() - 4)
                    + (token.endsWith("AAAA") ? "BBBB" : "AAAA");

            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(sameStartOtherSignature,
                    "/chat/completions", null)));

            assertThat(e.status()).isEqualTo(401);
        }
    }

    @Nested
    class TwoSteps {

        @Test
        void decidesAnAdminOnAnAdminRouteBeforeTheBodyWhenNothingLimitsItsModels() {
            Caller caller = auth.identify(token(Map.of("scope", "litellm_proxy_admin")), "/team/new");

            assertThat(caller.decided()).hasValueSatisfying(result -> assertThat(result.proxyAdmin()).isTrue());
        }

        @Test
        void checksTheModelsOfAnAdminWhoseRolePermissionsLimitThem() {
            // given role_permissions that let a proxy admin use gpt-4o-mini only
            ProxyAuthenticator limited = authenticator(block().set("enforce_rbac", true)
                    .set("admin_allowed_routes", List.of("management_routes", "/chat/completions"))
                    .rolePermissions(List.of(new RolePermission(ProxyRole.PROXY_ADMIN, List.of("gpt-4o-mini"),
                            null)))
                    .settings());
            String admin = token(Map.of("scope", "litellm_proxy_admin"));

            // when the admin is identified on an admin route
            Caller caller = limited.identify(admin, "/chat/completions");

            // then the body still decides: another model is refused, the allowed one passes as an admin
            assertThat(caller.decided()).isEmpty();
            AuthException e = refusal(() -> limited.authorize(caller,
                    AuthRequest.of(admin, "/chat/completions", "claude-3-haiku")));
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.reason()).isEqualTo("rbac_model_not_allowed");
            AuthResult allowed = limited.authorize(caller, AuthRequest.of(admin, "/chat/completions", "gpt-4o-mini"));
            assertThat(allowed.proxyAdmin()).isTrue();
            assertThat(allowed.team()).isNull();
        }

        @Test
        void checksTheModelsOfAnAdminWhoseScopesLimitThem() {
            ProxyAuthenticator scoped = authenticator(block().set("enforce_scope_based_access", true)
                    .set("admin_allowed_routes", List.of("/chat/completions"))
                    .set("scope_mappings", List.of(Map.of("scope", "llm.mini", "models", List.of("gpt-4o-mini"),
                            "routes", List.of())))
                    .settings());
            String admin = token(Map.of("scope", "litellm_proxy_admin llm.mini"));

            Caller caller = scoped.identify(admin, "/chat/completions");

            assertThat(caller.decided()).isEmpty();
            assertThat(refusal(() -> scoped.authorize(caller, new AuthRequest(admin, "/chat/completions",
                    List.of("gpt-4o-mini", "gpt-4o"), null, null))).reason()).isEqualTo("scope_model_not_allowed");
        }

        @Test
        void refusesToAuthorizeARouteOtherThanTheOneIdentified() {
            String token = token(Map.of("team_id", "research"));
            Caller caller = auth.identify(token, "/chat/completions");

            assertThatThrownBy(() -> auth.authorize(caller, AuthRequest.of(token, "/team/new", null)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void refusesTheRouteAtIdentifyBeforeAnyBodyIsRead() {
            AuthException e = refusal(() -> auth.identify(token(Map.of("team_id", "research")), "/team/new"));

            assertThat(e.status()).isEqualTo(403);
        }

        @Test
        void runsTheCustomValidatorOncePerRequest() {
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            ProxyAuthenticator validated = ProxyAuthenticator.builder(block().set("team_id_jwt_field", null)
                            .settings())
                    .keySource(StaticKeySource.of(MINT.publicKey())).directory(directory).clock(clock)
                    .customValidator(claims -> calls.incrementAndGet() > 0)
                    .build();

            validated.authenticate(new AuthRequest(token(Map.of("team_ids", List.of("research", "support"))),
                    "/chat/completions", List.of("gpt-4o-mini", "openai/gpt-4.1"), null, null));

            assertThat(calls).hasValue(1);
        }
    }

    @Nested
    class EveryModel {

        @Test
        void choosesTheTeamAllowedEveryModelTheRequestNames() {
            // given research has gpt-4o-mini only, both has it and claude-3-haiku
            directory.team(team("both", List.of("gpt-4o-mini", "claude-3-haiku"), false, null, 0));

            // when a request names gpt-4o-mini with claude-3-haiku as its fallback
            AuthResult result = teamListAuth.authenticate(new AuthRequest(
                    token(Map.of("team_ids", List.of("research", "both"))), "/chat/completions",
                    List.of("gpt-4o-mini", "claude-3-haiku"), null, null));

            // then the first team allowed both
            assertThat(result.teamId()).isEqualTo("both");
        }

        @Test
        void refusesAFallbackTheTokensOnlyTeamMayNotUse() {
            AuthException e = refusal(() -> auth.authenticate(new AuthRequest(token(Map.of("team_id", "research")),
                    "/chat/completions", List.of("gpt-4o-mini", "claude-3-haiku"), null, null)));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).contains("claude-3-haiku");
        }
    }

    @Nested
    class IdentityFacts {

        @Test
        void refusesATokenWhoseTeamListWasCut() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(token(Map.of("preferred_username",
                    "alice", "team_ids_overage", true)), "/chat/completions", "gpt-4o-mini")));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.reason()).isEqualTo("team_ids_overage");
        }

        @Test
        void loadsTheOrganizationTheTokenNamesByAlias() {
            ProxyAuthenticator byAlias = authenticator(block().set("org_alias_jwt_field", "org").settings());

            AuthResult result = byAlias.authenticate(AuthRequest.of(token(Map.of("team_id", "research",
                    "org", "Acme")), "/chat/completions", null));

            assertThat(result.orgId()).isEqualTo("acme");
            assertThat(result.org().budget().maxBudget()).isEqualTo(100.0);
        }

        @Test
        void refusesAnOrganizationAliasNotInTheDatabaseWith404() {
            ProxyAuthenticator byAlias = authenticator(block().set("org_alias_jwt_field", "org").settings());

            AuthException e = refusal(() -> byAlias.authenticate(AuthRequest.of(token(Map.of("team_id", "research",
                    "org", "Initech")), "/chat/completions", null)));

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).isEqualTo("Organization doesn't exist in db. Organization alias=Initech. "
                    + "Create organization via `/organization/new` call.");
        }

        @Test
        void checksTheBudgetOfAnOrganizationNamedByAlias() {
            directory.organization(new Organization("spent", "Spent", List.of(), 100.0, new Budget("b2", 100.0,
                    null)));
            ProxyAuthenticator byAlias = authenticator(block().set("org_alias_jwt_field", "org").settings());

            AuthException e = refusal(() -> byAlias.authenticate(AuthRequest.of(token(Map.of("team_id", "research",
                    "org", "Spent")), "/chat/completions", null)));

            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isEqualTo(ErrorType.BUDGET_EXCEEDED);
        }
    }

    @Nested
    class CustomValidate {

        @Test
        void refusesToStartWithAPythonValidatorPath() {
            assertThatThrownBy(() -> authenticator(block()
                    .set("custom_validate", "custom_validate.my_validator").settings()))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageStartingWith("litellm_jwtauth.custom_validate: 'custom_validate.my_validator' is not "
                            + "a Java class");
        }

        @Test
        void refusesToStartWithAClassThatIsNoValidator() {
            assertThatThrownBy(() -> authenticator(block().set("custom_validate", "java.lang.Object").settings()))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("does not implement");
        }

        @Test
        void loadsAndEnforcesTheJavaValidatorTheSettingNames() {
            ProxyAuthenticator validated = authenticator(block()
                    .set("custom_validate", TenantValidator.class.getName()).settings());

            AuthResult allowed = validated.authenticate(AuthRequest.of(token(Map.of("team_id", "research",
                    "tenant", "acme")), "/chat/completions", null));
            AuthException refused = refusal(() -> validated.authenticate(AuthRequest.of(token(Map.of(
                    "team_id", "research", "tenant", "globex")), "/chat/completions", null)));

            assertThat(allowed.teamId()).isEqualTo("research");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.getMessage()).isEqualTo("Invalid JWT token");
        }

        @Test
        void refusesASettingAndABuilderValidatorTogether() {
            assertThatThrownBy(() -> ProxyAuthenticator.builder(block()
                            .set("custom_validate", TenantValidator.class.getName()).settings())
                    .keySource(StaticKeySource.of(MINT.publicKey())).directory(directory)
                    .customValidator(claims -> true).build())
                    .isInstanceOf(SettingsException.class);
        }
    }

    @Nested
    class ErrorKinds {

        @Test
        void tellsARefusedRequestFromAnUnavailableSystemByType() {
            AuthException refused = refusal(() -> auth.authenticate(AuthRequest.of(null, "/chat/completions", null)));
            ProxyAuthenticator keyless = ProxyAuthenticator.builder(block().settings())
                    .keySource(StaticKeySource.of(List.of())).directory(directory).clock(clock).build();
            AuthException unavailable = refusal(() -> keyless.authenticate(AuthRequest.of(
                    token(Map.of("team_id", "research")), "/chat/completions", null)));

            assertThat(refused).isInstanceOf(AuthException.Refused.class);
            assertThat(unavailable).isInstanceOf(AuthException.Unavailable.class);
            assertThat(unavailable.status()).isEqualTo(503);
        }
    }

    /** A validator a setting names by class: lets tenant acme in. */
    public static final class TenantValidator implements io.claimgate.validator.access.CustomValidator {
        @Override
        public boolean isValid(Map<String, Object> claims) {
            return "acme".equals(claims.get("tenant"));
        }
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
