package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.Team;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.claims.ClaimReader;
import io.claimgate.validator.claims.TokenClaims;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TeamSelectionTest {

    private static Team team(String id, String... models) {
        return new Team(id, null, null, List.of(models), null, 0, false, null);
    }

    private final TeamSelection selection = new TeamSelection(JwtAuthSettings.defaults());

    @Nested
    class FirstTeamWithAccess {

        private final Map<String, Team> teams = Map.of("team-a", team("team-a", "gpt-4"),
                "team-b", team("team-b", "claude-3", "gpt-4"), "team-all", team("team-all"));
        private final Function<String, Optional<Team>> lookup = id -> Optional.ofNullable(teams.get(id));

        @Test
        void choosesTheFirstTeamInTokenOrderThatMayCallTheModel() {
            assertThat(selection.firstTeamWithAccess(List.of("team-a", "team-b"), lookup, "claude-3",
                    "/chat/completions")).map(Team::teamId).contains("team-b");
            assertThat(selection.firstTeamWithAccess(List.of("team-b", "team-a"), lookup, "gpt-4",
                    "/chat/completions")).map(Team::teamId).contains("team-b");
        }

        @Test
        void takesTheFirstLoadedTeamWhenNoModelIsRequested() {
            assertThat(selection.firstTeamWithAccess(List.of("missing", "team-a"), lookup, null, "/key/info"))
                    .map(Team::teamId).contains("team-a");
        }

        @Test
        void treatsATeamWithoutModelsAsAllowedEveryModel() {
            assertThat(selection.firstTeamWithAccess(List.of("team-all"), lookup, "anything", "/chat/completions"))
                    .map(Team::teamId).contains("team-all");
        }

        @Test
        void refusesAModelNoTeamMayCallWithLiteLlmsMessage() {
            assertThatThrownBy(() -> selection.firstTeamWithAccess(List.of("team-a", "missing"), lookup, "o3",
                    "/chat/completions")).isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.getMessage()).isEqualTo("No team has access to the requested model: o3. Checked "
                                + "teams={'team-a', 'missing'}. Check `/models` to see all available models.");
                    });
        }

        // Mirrors LiteLLM find_team_with_model_access: the team must also pass team_allowed_routes.
        @Test
        void skipsTeamsOnARouteOutsideTeamAllowedRoutes() {
            assertThat(selection.firstTeamWithAccess(List.of("team-a"), lookup, null, "/team/new")).isEmpty();
            assertThatThrownBy(() -> selection.firstTeamWithAccess(List.of("team-a"), lookup, "gpt-4", "/team/new"))
                    .isInstanceOf(AuthException.class);
        }

        @Test
        void findsNoTeamForATokenWithoutTeams() {
            assertThat(selection.firstTeamWithAccess(List.of(), lookup, "gpt-4", "/chat/completions")).isEmpty();
        }

        @Test
        void refusesATokenWithoutTeamsWhenTeamBasedModelAccessIsEnforced() {
            TeamSelection enforced = new TeamSelection(JwtAuthSettings.builder().enforceTeamBasedModelAccess(true)
                    .build());

            assertThatThrownBy(() -> enforced.firstTeamWithAccess(List.of(), lookup, null, "/chat/completions"))
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.getMessage()).isEqualTo(
                            "No teams found in token. `enforce_team_based_model_access` is set to True. Token must "
                                    + "belong to a team."));
        }
    }

    // Mirrors LiteLLM find_and_validate_specific_team_id's refusal and its list-indexing hints.
    @Nested
    class RequiredTeam {

        @Test
        void isRequiredOnceATeamIdOrAliasFieldIsSet() {
            assertThat(selection.teamRequired()).isFalse();
            assertThat(new TeamSelection(JwtAuthSettings.builder().teamIdJwtField("team_id").build()).teamRequired())
                    .isTrue();
            assertThat(new TeamSelection(JwtAuthSettings.builder().teamAliasJwtField("team").build()).teamRequired())
                    .isTrue();
        }

        @Test
        void namesBothFieldsWhenMissing() {
            AuthException e = new TeamSelection(JwtAuthSettings.builder().teamIdJwtField("team_id").build())
                    .missingTeam();

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).isEqualTo(
                    "No team found in token. Checked team_id field 'team_id' and team_alias field 'None'.");
        }

        @Test
        void hintsAtDotIndexing() {
            assertThat(new TeamSelection(JwtAuthSettings.builder().teamIdJwtField("groups.0").build()).missingTeam()
                    .getMessage()).endsWith("Hint: dot-notation array indexing (e.g. 'groups.0') is not supported. "
                    + "Use 'groups' instead — LiteLLM automatically uses the first element when the field value is a "
                    + "list.");
        }

        @Test
        void hintsAtBracketIndexing() {
            assertThat(new TeamSelection(JwtAuthSettings.builder().teamIdJwtField("groups[0]").build()).missingTeam()
                    .getMessage()).contains("Hint: array indexing (e.g. 'groups[0]') is not supported in "
                    + "team_id_jwt_field. Use 'groups' instead");
        }
    }

    // Mirrors LiteLLM test_resolve_team_from_header_returns_allowed_id_none_without_header_and_403_on_invalid.
    @Nested
    class Header {

        private final TokenClaims claims = new ClaimReader(JwtAuthSettings.builder().teamIdsJwtField("groups")
                .teamIdJwtField("team_id").build())
                .read(Map.of("groups", List.of("team-2", "team-1"), "team_id", "primary"));

        @Test
        void acceptsOneOfTheTokensTeams() {
            assertThat(TeamSelection.headerTeam("team-1", claims)).isEqualTo("team-1");
            assertThat(TeamSelection.headerTeam("primary", claims)).isEqualTo("primary");
        }

        @Test
        void givesNothingWithoutHeader() {
            assertThat(TeamSelection.headerTeam(null, claims)).isNull();
            assertThat(TeamSelection.headerTeam(" ", claims)).isNull();
        }

        @Test
        void refusesAnyOtherTeam() {
            assertThatThrownBy(() -> TeamSelection.headerTeam("invalid-team", claims))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.getMessage()).isEqualTo("x-litellm-team-id 'invalid-team' does not resolve to a "
                                + "team id or a unique team alias in your JWT's allowed teams. Allowed team ids: "
                                + "['primary', 'team-1', 'team-2']");
                    });
        }
    }
}
