package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.AuthResult;
import io.claimgate.model.Budget;
import io.claimgate.model.EndUser;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.Organization;
import io.claimgate.model.ProxyRole;
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

    private JwtAuthSettings.Builder settings() {
        return JwtAuthSettings.builder()
                .teamIdJwtField("team_id")
                .teamIdsJwtField("team_ids")
                .userIdJwtField("preferred_username")
                .userEmailJwtField("email")
                .orgIdJwtField("org_id")
                .endUserIdJwtField("customer_id")
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

    private final ProxyAuthenticator auth = authenticator(settings().build());

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
            AuthResult result = auth.authenticate(AuthRequest.of(
                    token(Map.of("team_ids", List.of("research", "support"))), "/chat/completions",
                    "claude-3-haiku"));

            assertThat(result.teamId()).isEqualTo("support");
        }

        @Test
        void refusesAModelNoTeamHasWith403() {
            AuthException e = refusal(() -> auth.authenticate(AuthRequest.of(
                    token(Map.of("team_ids", List.of("research", "support"))), "/chat/completions", "gemini-pro")));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).startsWith("No team has access to the requested model: gemini-pro.");
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
            ProxyAuthenticator upserting = authenticator(settings().userIdUpsert(true).build());

            AuthResult result = upserting.authenticate(AuthRequest.of(token(Map.of("team_id", "research",
                    "preferred_username", "dora", "email", "dora@example.com")), "/chat/completions", "gpt-4o-mini"));

            assertThat(result.user().userId()).isEqualTo("dora");
            assertThat(directory.users).containsKey("dora");
        }

        @Test
        void findsAUserByEmailCaseInsensitively() {
            AuthResult result = auth.authenticate(AuthRequest.of(token(Map.of("team_id", "research",
                    "preferred_username", "a.smith", "email", "ALICE@example.com")), "/chat/completions", null));

            assertThat(result.user().userId()).isEqualTo("alice");
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
