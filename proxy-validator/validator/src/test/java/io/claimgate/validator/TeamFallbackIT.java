package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.claimgate.model.AuthResult;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.store.CachedDirectory;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.PostgresDirectory;
import io.claimgate.validator.store.TestPostgres;
import io.claimgate.validator.token.StaticKeySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Team resolution through the whole pipeline over LiteLLM's tables in a real PostgreSQL: the user's database teams
 * ({@code LiteLLM_UserTable.teams}) stand in for a token that names none, and the team so found is checked like any
 * other (blocked, models, organization budget).
 */
class TeamFallbackIT {

    private static final TokenMint MINT = new TokenMint("kc-teams");
    private static final String CHAT = "/chat/completions";

    private static Database database;
    private static CachedDirectory directory;

    @BeforeAll
    static void start() {
        String jdbcUrl = TestPostgres.freshDatabase();
        database = Database.open(jdbcUrl);
        TestPostgres.execute(jdbcUrl,
                "INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, max_budget, created_by, updated_by)"
                        + " VALUES ('spent', 100, 'a', 'a')",
                "INSERT INTO \"LiteLLM_OrganizationTable\" (organization_id, organization_alias, budget_id, spend,"
                        + " created_by, updated_by) VALUES ('org-broke', 'Broke', 'spent', 100, 'a', 'a')",
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias, models, blocked, organization_id) VALUES"
                        + " ('research', 'Research', ARRAY['gpt-4o-mini'], false, NULL),"
                        + " ('support', 'Support', ARRAY['claude-3-haiku'], false, NULL),"
                        + " ('frozen', 'Frozen', ARRAY[]::text[], true, NULL),"
                        + " ('broke', 'Broke', ARRAY[]::text[], false, 'org-broke'),"
                        + " ('twin-1', 'Twins', ARRAY[]::text[], false, NULL),"
                        + " ('twin-2', 'Twins', ARRAY[]::text[], false, NULL)",
                "INSERT INTO \"LiteLLM_UserTable\" (user_id, user_role, teams, models) VALUES"
                        + " ('solo', 'internal_user', ARRAY['research'], ARRAY[]::text[]),"
                        + " ('pair', 'internal_user', ARRAY['support', 'research'], ARRAY[]::text[]),"
                        + " ('iced', 'internal_user', ARRAY['frozen'], ARRAY[]::text[]),"
                        + " ('poor', 'internal_user', ARRAY['broke'], ARRAY[]::text[]),"
                        + " ('loner', 'internal_user', ARRAY[]::text[], ARRAY[]::text[])");
        directory = new CachedDirectory(new PostgresDirectory(database.dataSource()));
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    private static ProxyAuthenticator authenticator(Map<String, Object> block) {
        JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(block)
                .environment(Map.of("JWT_ISSUER", TokenMint.ISSUER, "JWT_AUDIENCE", TokenMint.AUDIENCE));
        return ProxyAuthenticator.builder(settings).keySource(StaticKeySource.of(MINT.publicKey()))
                .directory(directory).build();
    }

    private static AuthResult call(ProxyAuthenticator auth, Map<String, Object> claims, String header,
                                   String... models) {
        return auth.authenticate(new AuthRequest(MINT.token(claims), CHAT, List.of(models), header, null));
    }

    private static AuthException refusal(ProxyAuthenticator auth, Map<String, Object> claims, String header,
                                         String... models) {
        return catchThrowableOfType(AuthException.class, () -> call(auth, claims, header, models));
    }

    // LiteLLM's _resolve_single_team_fallback: on without any setting.
    @Nested
    class UsersOnlyTeam {

        private final ProxyAuthenticator auth = authenticator(Map.of("team_ids_jwt_field", "team_ids",
                "user_id_jwt_field", "sub"));

        @Test
        void attributesATokenWithoutTeamsToTheUsersOnlyTeam() {
            AuthResult result = call(auth, Map.of("sub", "solo"), null, "gpt-4o-mini");

            assertThat(result.teamId()).isEqualTo("research");
            assertThat(result.team().teamAlias()).isEqualTo("Research");
        }

        @Test
        void holdsTheCallerToThatTeamsModelsRatherThanTheUsersOwn() {
            // solo's own models are [] (all); research only has gpt-4o-mini
            AuthException e = refusal(auth, Map.of("sub", "solo"), null, "claude-3-haiku");

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.reason()).isEqualTo("team_model_access_denied");
        }

        @Test
        void refusesTheCallerOfABlockedOnlyTeam() {
            assertThat(refusal(auth, Map.of("sub", "iced"), null, "gpt-4o-mini").reason()).isEqualTo("team_blocked");
        }

        @Test
        void appliesTheOnlyTeamsOrganizationBudget() {
            AuthException e = refusal(auth, Map.of("sub", "poor"), null, "gpt-4o-mini");

            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains("Organization=org-broke");
        }

        @Test
        void leavesAUserInSeveralTeamsOrNoneOnThePersonalPath() {
            assertThat(call(auth, Map.of("sub", "pair"), null, "claude-3-haiku").teamId()).isNull();
            assertThat(call(auth, Map.of("sub", "loner"), null, "claude-3-haiku").teamId()).isNull();
        }
    }

    @Nested
    class TeamClaimFallback {

        private final ProxyAuthenticator auth = authenticator(Map.of("team_id_jwt_field", "team_id",
                "user_id_jwt_field", "sub", "team_claim_fallback", true));

        @Test
        void attributesAClaimNamingNoTeamToTheUsersOnlyTeam() {
            assertThat(call(auth, Map.of("sub", "solo", "team_id", "renamed-team"), null, "gpt-4o-mini").teamId())
                    .isEqualTo("research");
        }

        @Test
        void givesNoTeamForAClaimNamingNoTeamOfAUserInSeveral() {
            assertThat(call(auth, Map.of("sub", "pair", "team_id", "renamed-team"), null, "gpt-4o-mini").teamId())
                    .isNull();
        }

        @Test
        void refusesTheClaimWith404WhenOff() {
            ProxyAuthenticator strict = authenticator(Map.of("team_id_jwt_field", "team_id",
                    "user_id_jwt_field", "sub"));

            assertThat(refusal(strict, Map.of("sub", "solo", "team_id", "renamed-team"), null, "gpt-4o-mini")
                    .status()).isEqualTo(404);
        }
    }

    @Nested
    class DatabaseTeams {

        private final ProxyAuthenticator auth = authenticator(Map.of("team_id_jwt_field", "team_id",
                "team_ids_jwt_field", "team_ids", "user_id_jwt_field", "sub", "fallback_to_db_teams", true));

        @Test
        void attributesATokenWithoutTeamClaimsToTheFirstUserTeamWithTheModel() {
            assertThat(call(auth, Map.of("sub", "pair"), null, "claude-3-haiku").teamId()).isEqualTo("support");
            assertThat(call(auth, Map.of("sub", "pair"), null, "gpt-4o-mini").teamId()).isEqualTo("research");
        }

        @Test
        void acceptsAHeaderNamingOneOfTheUsersTeamsByAlias() {
            assertThat(call(auth, Map.of("sub", "pair"), "Research", "gpt-4o-mini").teamId()).isEqualTo("research");
        }

        @Test
        void refusesAHeaderTeamTheUserIsNotIn() {
            AuthException e = refusal(auth, Map.of("sub", "solo"), "support", "claude-3-haiku");

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.reason()).isEqualTo("team_header_not_allowed");
        }

        @Test
        void stillRefusesATokenWithATeamListButNoRequiredTeamId() {
            assertThat(refusal(auth, Map.of("sub", "pair", "team_ids", List.of("support")), null, "claude-3-haiku")
                    .reason()).isEqualTo("team_missing");
        }
    }

    @Nested
    class Aliases {

        private final ProxyAuthenticator auth = authenticator(Map.of("team_alias_jwt_field", "team_alias",
                "user_id_jwt_field", "sub"));

        @Test
        void refusesAnAliasTwoTeamsShareWith400() {
            AuthException e = refusal(auth, Map.of("sub", "solo", "team_alias", "Twins"), null, "gpt-4o-mini");

            assertThat(e.status()).isEqualTo(400);
            assertThat(e.reason()).isEqualTo("team_alias_ambiguous");
        }

        @Test
        void findsAUniqueAlias() {
            assertThat(call(auth, Map.of("sub", "solo", "team_alias", "Support"), null, "claude-3-haiku").teamId())
                    .isEqualTo("support");
        }
    }
}
