package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.LiteLlmBlock;
import io.claimgate.validator.access.TeamChoice.Choice;
import io.claimgate.validator.access.TeamChoice.Source;
import io.claimgate.validator.claims.ClaimReader;
import io.claimgate.model.ProxyRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The teams a token that names none is attributed to, from the user's database teams: LiteLLM's
 * {@code _resolve_single_team_fallback}, {@code team_claim_fallback} and {@code fallback_to_db_teams}.
 */
class TeamChoiceFallbackTest {

    private static final String CHAT = "/chat/completions";

    private static Team team(String id, String alias, String... models) {
        return new Team(id, alias, null, List.of(models), null, 0, false, null);
    }

    private static final Map<String, Team> TEAMS = Map.of("team-a", team("team-a", "Research", "gpt-4"),
            "team-b", team("team-b", "Support", "claude-3", "gpt-4"), "team-all", team("team-all", "Everyone"));

    private static User user(String... teams) {
        return new User("u1", null, null, ProxyRole.INTERNAL_USER, null, List.of(teams), List.of(), null, 0);
    }

    /** A choice over {@link #TEAMS} under the block; aliases are the teams' own. */
    private static final class Fixture {
        final JwtAuthSettings settings;
        final TeamChoice choice;

        Fixture(UnaryOperator<LiteLlmBlock> block) {
            settings = block.apply(new LiteLlmBlock().set("user_id_jwt_field", "sub")).settings();
            choice = new TeamChoice(settings.claims(), new AccessPolicy(settings.access()),
                    id -> Optional.ofNullable(TEAMS.get(id)),
                    alias -> TEAMS.values().stream().filter(t -> alias.equals(t.teamAlias())).findFirst());
        }

        Choice choose(Map<String, Object> claims, String header, List<String> models, String route) {
            return choice.choose(new ClaimReader(settings.claims()).read(claims), null, header, models, route);
        }

        /** Both steps, as the authenticator runs them. */
        Team team(Map<String, Object> claims, String header, User user, List<String> models, String route) {
            return choice.settle(choose(claims, header, models, route), user, models, route);
        }
    }

    private static final Map<String, Object> NO_TEAM = Map.of("sub", "u1");

    // Mirrors LiteLLM _resolve_single_team_fallback, which no setting turns on or off.
    @Nested
    class SingleTeam {

        private final Fixture fixture = new Fixture(b -> b.set("team_ids_jwt_field", "team_ids"));

        @Test
        void attributesATokenNamingNoTeamToTheUsersOnlyTeam() {
            // given a user whose row lists one team, and a token naming none
            // when
            Team team = fixture.team(NO_TEAM, null, user("team-a"), List.of("gpt-4"), CHAT);

            // then the request is made for that team, whose models, block and budget now apply
            assertThat(team).isSameAs(TEAMS.get("team-a"));
        }

        @Test
        void leavesAUserInSeveralTeamsOnThePersonalPath() {
            assertThat(fixture.team(NO_TEAM, null, user("team-a", "team-b"), List.of("gpt-4"), CHAT)).isNull();
        }

        @Test
        void leavesAUserWithoutTeamsOrWithoutRowOnThePersonalPath() {
            assertThat(fixture.team(NO_TEAM, null, user(), List.of("gpt-4"), CHAT)).isNull();
            assertThat(fixture.team(NO_TEAM, null, null, List.of("gpt-4"), CHAT)).isNull();
        }

        @Test
        void skipsAnOnlyTeamThatIsNotInTheDatabase() {
            assertThat(fixture.team(NO_TEAM, null, user("team-gone"), List.of("gpt-4"), CHAT)).isNull();
        }

        @Test
        void alsoAppliesWhenTheTokensTeamsGiveNoneForARequestWithoutModel() {
            assertThat(fixture.team(Map.of("sub", "u1", "team_ids", List.of("team-gone")), null, user("team-b"),
                    List.of(), "/v1/models")).isSameAs(TEAMS.get("team-b"));
        }

        @Test
        void leavesTheModelToTheCommonChecksOfTheTeam() {
            // the only team may not use o3: it is still the team, so the team's model check refuses the request
            assertThat(fixture.team(NO_TEAM, null, user("team-a"), List.of("o3"), CHAT)).isSameAs(TEAMS.get("team-a"));
        }

        @Test
        void refusesARouteOutsideTeamAllowedRoutesInsteadOfDroppingTheTeam() {
            // /v1/messages is a member route but not in the default team_allowed_routes
            assertThatThrownBy(() -> fixture.team(NO_TEAM, null, user("team-a"), List.of("gpt-4"), "/v1/messages"))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.reason()).isEqualTo("team_route_not_allowed");
                        assertThat(e.getMessage()).contains("team=team-a");
                    });
        }

        @Test
        void neverReplacesATeamTheTokenNamed() {
            assertThat(fixture.team(Map.of("sub", "u1", "team_ids", List.of("team-b")), null, user("team-a"),
                    List.of("gpt-4"), CHAT)).isSameAs(TEAMS.get("team-b"));
        }
    }

    // Mirrors LiteLLM find_and_validate_specific_team_id / find_team_with_model_access under team_claim_fallback.
    @Nested
    class TeamClaimFallback {

        private final Fixture off = new Fixture(b -> b.set("team_id_jwt_field", "team_id")
                .set("team_ids_jwt_field", "team_ids"));
        private final Fixture on = new Fixture(b -> b.set("team_id_jwt_field", "team_id")
                .set("team_ids_jwt_field", "team_ids").set("team_claim_fallback", true));

        @Test
        void refusesAnUnknownTeamClaimWith404WhenOff() {
            assertThatThrownBy(() -> off.team(Map.of("sub", "u1", "team_id", "team-gone"), null, user("team-a"),
                    List.of("gpt-4"), CHAT))
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(404));
        }

        @Test
        void leavesAnUnknownTeamClaimToTheUsersOnlyTeam() {
            assertThat(on.team(Map.of("sub", "u1", "team_id", "team-gone"), null, user("team-a"), List.of("gpt-4"),
                    CHAT)).isSameAs(TEAMS.get("team-a"));
        }

        @Test
        void findsNoTeamForAnUnknownClaimOfAUserInSeveralTeams() {
            assertThat(on.team(Map.of("sub", "u1", "team_id", "team-gone"), null, user("team-a", "team-b"),
                    List.of("gpt-4"), CHAT)).isNull();
        }

        @Test
        void stillTakesAKnownTeamClaim() {
            assertThat(on.team(Map.of("sub", "u1", "team_id", "team-b"), null, user("team-a"), List.of("gpt-4"),
                    CHAT)).isSameAs(TEAMS.get("team-b"));
        }

        @Test
        void triesTheTokensTeamListBeforeTheUsersTeam() {
            assertThat(on.team(Map.of("sub", "u1", "team_id", "team-gone", "team_ids", List.of("team-b")), null,
                    user("team-a"), List.of("claude-3"), CHAT)).isSameAs(TEAMS.get("team-b"));
        }

        @Test
        void refusesAModelNoneOfTheTokensExistingTeamsMayUse() {
            // team-a exists and was claimed: falling back past it would pick a team the token did not ask for
            assertThatThrownBy(() -> on.team(Map.of("sub", "u1", "team_id", "team-gone", "team_ids",
                    List.of("team-a")), null, user("team-b"), List.of("claude-3"), CHAT))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("team_model_access_denied"));
        }

        @Test
        void leavesAnUnknownDefaultTeamToTheUsersOnlyTeam() {
            Fixture defaulted = new Fixture(b -> b.set("team_id_default", "team-gone").set("team_claim_fallback",
                    true));

            assertThat(defaulted.team(NO_TEAM, null, user("team-a"), List.of("gpt-4"), CHAT))
                    .isSameAs(TEAMS.get("team-a"));
        }

        @Test
        void stillRefusesATokenWithoutTheRequiredTeamClaim() {
            assertThatThrownBy(() -> on.choose(NO_TEAM, null, List.of("gpt-4"), CHAT))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("team_missing"));
        }
    }

    // Mirrors LiteLLM _resolve_db_team_fallback and the header's membership check under fallback_to_db_teams.
    @Nested
    class DatabaseTeams {

        private final Fixture fixture = new Fixture(b -> b.set("team_id_jwt_field", "team_id")
                .set("team_ids_jwt_field", "team_ids").set("fallback_to_db_teams", true));

        @Test
        void attributesATokenWithoutTeamClaimsToTheFirstUserTeamThatMayUseTheModel() {
            // given a token without team claims (a required team_id_jwt_field does not refuse it)
            // when the user is in team-a (gpt-4 only) and team-b (claude-3, gpt-4)
            Team team = fixture.team(NO_TEAM, null, user("team-gone", "team-a", "team-b"), List.of("claude-3"), CHAT);

            // then team-b, the first existing one that may use claude-3
            assertThat(team).isSameAs(TEAMS.get("team-b"));
        }

        @Test
        void requiresEveryModelOfTheRequest() {
            assertThat(fixture.team(NO_TEAM, null, user("team-a", "team-b"), List.of("gpt-4", "claude-3"), CHAT))
                    .isSameAs(TEAMS.get("team-b"));
        }

        @Test
        void leavesTheUserOnThePersonalPathWhenNoTeamQualifies() {
            assertThat(fixture.team(NO_TEAM, null, user("team-a"), List.of("o3"), CHAT)).isNull();
            assertThat(fixture.team(NO_TEAM, null, user("team-a"), List.of("gpt-4"), "/v1/messages")).isNull();
        }

        @Test
        void refusesWhenTeamBasedModelAccessIsEnforcedAndNoTeamMayUseTheModel() {
            Fixture enforced = new Fixture(b -> b.set("fallback_to_db_teams", true)
                    .set("enforce_team_based_model_access", true));

            assertThatThrownBy(() -> enforced.team(NO_TEAM, null, user("team-a"), List.of("o3"), CHAT))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.getMessage()).isEqualTo("No team you are a member of has access to the "
                                + "requested model: o3. Check `/models` to see the models available to you.");
                    });
            assertThatThrownBy(() -> enforced.team(NO_TEAM, null, user(), List.of("gpt-4"), CHAT))
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.getMessage()).isEqualTo(
                            "User is not a member of any team. Add the user to a team via the LiteLLM UI or API."));
        }

        @Test
        void ignoresTeamIdDefaultForATokenWithoutTeamClaims() {
            Fixture defaulted = new Fixture(b -> b.set("team_id_default", "team-all")
                    .set("fallback_to_db_teams", true));

            assertThat(defaulted.team(NO_TEAM, null, user("team-a"), List.of("gpt-4"), CHAT))
                    .isSameAs(TEAMS.get("team-a"));
        }

        @Test
        void leavesATokenWithTeamClaimsToThemAlone() {
            assertThat(fixture.choose(Map.of("sub", "u1", "team_id", "team-b"), null, List.of("gpt-4"), CHAT)
                    .source()).isEqualTo(Source.TOKEN);
            assertThatThrownBy(() -> fixture.choose(Map.of("sub", "u1", "team_ids", List.of("team-a")), null,
                    List.of("gpt-4"), CHAT)).isInstanceOfSatisfying(AuthException.class,
                    e -> assertThat(e.reason()).isEqualTo("team_missing"));
        }

        @Test
        void doesNotTakeACutTeamListForNoTeams() {
            assertThatThrownBy(() -> fixture.choose(Map.of("sub", "u1", "team_ids_overage", true), null,
                    List.of("gpt-4"), CHAT)).isInstanceOfSatisfying(AuthException.class,
                    e -> assertThat(e.reason()).isEqualTo("team_ids_overage"));
        }

        @Test
        void acceptsAHeaderNamingOneOfTheUsersTeamsByIdOrAlias() {
            assertThat(fixture.team(NO_TEAM, "team-b", user("team-a", "team-b"), List.of("claude-3"), CHAT))
                    .isSameAs(TEAMS.get("team-b"));
            assertThat(fixture.team(NO_TEAM, "Support", user("team-a", "team-b"), List.of("claude-3"), CHAT))
                    .isSameAs(TEAMS.get("team-b"));
        }

        @Test
        void refusesAHeaderTeamTheUserIsNotInAsOneThatDoesNotExist() {
            // the two refusals read the same, so the header cannot probe which teams exist
            String outsider = "x-litellm-team-id 'team-b' does not resolve to a team id or a unique team alias "
                    + "among your team memberships.";
            assertThatThrownBy(() -> fixture.team(NO_TEAM, "team-b", user("team-a"), List.of("gpt-4"), CHAT))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.getMessage()).isEqualTo(outsider);
                    });
            assertThatThrownBy(() -> fixture.team(NO_TEAM, "team-nope", user("team-a"), List.of("gpt-4"), CHAT))
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.getMessage())
                            .isEqualTo(outsider.replace("team-b", "team-nope")));
        }

        @Test
        void refusesAHeaderTeamForANonTeamRoute() {
            assertThatThrownBy(() -> fixture.team(NO_TEAM, "team-a", user("team-a"), List.of("gpt-4"),
                    "/v1/messages")).isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.getMessage())
                    .isEqualTo("Team 'team-a' (from x-litellm-team-id header) is not allowed to access route "
                            + "'/v1/messages'."));
        }

        @Test
        void defersTheEnforcedTeamCheckToTheUsersTeams() {
            Fixture enforced = new Fixture(b -> b.set("fallback_to_db_teams", true)
                    .set("enforce_team_based_model_access", true));

            assertThat(enforced.choose(NO_TEAM, null, List.of("gpt-4"), CHAT).source()).isEqualTo(Source.USER_TEAMS);
        }
    }
}
