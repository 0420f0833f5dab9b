package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.LiteLlmBlock;
import io.claimgate.model.ProxyRole;
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

class TeamChoiceTest {

    private static Team team(String id, String... models) {
        return new Team(id, null, null, List.of(models), null, 0, false, null);
    }

    private static final Map<String, Team> TEAMS = Map.of("team-a", team("team-a", "gpt-4"),
            "team-b", team("team-b", "claude-3", "gpt-4"), "team-all", team("team-all"));
    private static final Function<String, Optional<Team>> LOOKUP = id -> Optional.ofNullable(TEAMS.get(id));
    private static final Function<String, Optional<Team>> NO_ALIASES = alias -> Optional.empty();

    private static TeamChoice choice(JwtAuthSettings settings) {
        return new TeamChoice(settings.claims(), new AccessPolicy(settings.access()), LOOKUP, NO_ALIASES);
    }

    /** The models a request names: none for {@code null}. */
    private static List<String> models(String model) {
        return model == null ? List.of() : List.of(model);
    }

    private final TeamChoice selection = choice(JwtAuthSettings.defaults());

    @Nested
    class FirstTeamWithAccess {

        @Test
        void choosesTheFirstTeamInTokenOrderThatMayCallTheModel() {
            assertThat(selection.firstTeamWithAccess(List.of("team-a", "team-b"), models("claude-3"),
                    "/chat/completions")).map(Team::teamId).contains("team-b");
            assertThat(selection.firstTeamWithAccess(List.of("team-b", "team-a"), models("gpt-4"),
                    "/chat/completions")).map(Team::teamId).contains("team-b");
        }

        @Test
        void takesTheFirstLoadedTeamWhenNoModelIsRequested() {
            assertThat(selection.firstTeamWithAccess(List.of("missing", "team-a"), models(null), "/key/info"))
                    .map(Team::teamId).contains("team-a");
        }

        @Test
        void treatsATeamWithoutModelsAsAllowedEveryModel() {
            assertThat(selection.firstTeamWithAccess(List.of("team-all"), models("anything"), "/chat/completions"))
                    .map(Team::teamId).contains("team-all");
        }

        @Test
        void refusesAModelNoTeamMayCallWithLiteLlmsMessage() {
            assertThatThrownBy(() -> selection.firstTeamWithAccess(List.of("team-a", "missing"), models("o3"),
                    "/chat/completions")).isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.getMessage()).isEqualTo("No team has access to the requested model: o3. Checked "
                                + "teams={'team-a', 'missing'}. Check `/models` to see all available models.");
                    });
        }

        // Mirrors LiteLLM find_team_with_model_access: the team must also pass team_allowed_routes.
        @Test
        void skipsTeamsOnARouteOutsideTeamAllowedRoutes() {
            assertThat(selection.firstTeamWithAccess(List.of("team-a"), models(null), "/team/new")).isEmpty();
            assertThatThrownBy(() -> selection.firstTeamWithAccess(List.of("team-a"), models("gpt-4"), "/team/new"))
                    .isInstanceOf(AuthException.class);
        }

        @Test
        void findsNoTeamForATokenWithoutTeams() {
            assertThat(selection.firstTeamWithAccess(List.of(), models("gpt-4"), "/chat/completions")).isEmpty();
        }

        @Test
        void refusesATokenWithoutTeamsWhenTeamBasedModelAccessIsEnforced() {
            TeamChoice enforced = choice(new LiteLlmBlock().set("enforce_team_based_model_access", true).settings());

            assertThatThrownBy(() -> enforced.firstTeamWithAccess(List.of(), models(null), "/chat/completions"))
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.getMessage()).isEqualTo(
                            "No teams found in token. `enforce_team_based_model_access` is set to True. Token must "
                                    + "belong to a team."));
        }
    }

    @Nested
    class EveryModelOfTheRequest {

        @Test
        void choosesTheFirstTeamAllowedEveryModelTheRequestNames() {
            // given team-a allows gpt-4 only, team-b gpt-4 and claude-3
            List<String> teamIds = List.of("team-a", "team-b");

            // when a request names gpt-4 with claude-3 as its fallback
            Optional<Team> chosen = selection.firstTeamWithAccess(teamIds, List.of("gpt-4", "claude-3"),
                    "/chat/completions");

            // then team-b, the first that may use both
            assertThat(chosen).map(Team::teamId).contains("team-b");
        }

        @Test
        void refusesWhenNoSingleTeamMayUseEveryModelNamingThemAll() {
            // given team-a allows gpt-4, team-b claude-3 and gpt-4: neither has o3
            assertThatThrownBy(() -> selection.firstTeamWithAccess(List.of("team-a", "team-b"),
                    List.of("gpt-4", "o3"), "/chat/completions"))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.getMessage()).startsWith("No team has access to the requested models: gpt-4, o3.");
                    });
        }
    }

    @Nested
    class Order {

        private final JwtAuthSettings settings = new LiteLlmBlock().set("team_id_jwt_field", "team_id")
                .set("team_ids_jwt_field", "team_ids").set("team_alias_jwt_field", "team_alias").settings();
        private final Team aliased = team("team-aliased", "gpt-4");
        private final TeamChoice choice = new TeamChoice(settings.claims(), new AccessPolicy(settings.access()), LOOKUP,
                alias -> "research".equals(alias) ? Optional.of(aliased) : Optional.empty());

        private Team choose(Map<String, Object> claims, RoleResolution role, String header, String model) {
            return choice.choose(new ClaimReader(settings.claims()).read(claims), role, header, models(model),
                    "/chat/completions").team();
        }

        @Test
        void takesTheHeaderTeamFirst() {
            assertThat(choose(Map.of("team_id", "team-a", "team_ids", List.of("team-b")), null, "team-b", null)
                    .teamId()).isEqualTo("team-b");
        }

        @Test
        void takesTheRolesObjectIdBeforeTheTokensTeam() {
            assertThat(choose(Map.of("team_id", "team-a"), new RoleResolution(ProxyRole.TEAM,
                    "team-all", null), null, null).teamId()).isEqualTo("team-all");
        }

        @Test
        void takesTheTokensTeamBeforeItsAlias() {
            assertThat(choose(Map.of("team_id", "team-a", "team_alias", "research"), null, null, null).teamId())
                    .isEqualTo("team-a");
        }

        @Test
        void looksTheAliasUpWhenTheTokenNamesNoTeamId() {
            assertThat(choose(Map.of("team_alias", "research"), null, null, null)).isSameAs(aliased);
        }

        @Test
        void refusesAnAliasNotInTheDatabaseWith404() {
            assertThatThrownBy(() -> choose(Map.of("team_alias", "nobody"), null, null, null))
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(404));
        }

        @Test
        void refusesANamedTeamNotInTheDatabaseWith404() {
            assertThatThrownBy(() -> choose(Map.of("team_id", "ghosts"), null, null, null))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.getMessage()).isEqualTo(
                                "Team doesn't exist in db. Team=ghosts. Create team via `/team/new` call.");
                    });
        }

        @Test
        void fallsToTheTokensTeamListLastWhenNoTeamField() {
            JwtAuthSettings listOnly = new LiteLlmBlock().set("team_ids_jwt_field", "team_ids").settings();

            Team chosen = choice(listOnly).choose(new ClaimReader(listOnly.claims()).read(Map.of("team_ids",
                    List.of("team-a", "team-b"))), null, null, models("claude-3"), "/chat/completions").team();

            assertThat(chosen.teamId()).isEqualTo("team-b");
        }

        // Mirrors LiteLLM find_and_validate_specific_team_id: the required team is checked before team_ids are.
        @Test
        void refusesATokenListingOnlyTeamIdsOnceTheTeamIdFieldIsSet() {
            assertThatThrownBy(() -> choose(Map.of("team_ids", List.of("team-a", "team-b")), null, null, "claude-3"))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.reason()).isEqualTo("team_missing");
                    });
        }

        @Test
        void takesTheAliasBeforeTeamIdDefault() {
            // given a default team and a token that names its team by alias only
            JwtAuthSettings withDefault = new LiteLlmBlock().set("team_alias_jwt_field", "team_alias")
                    .set("team_id_default", "team-all").settings();
            TeamChoice defaulted = new TeamChoice(withDefault.claims(), new AccessPolicy(withDefault.access()),
                    LOOKUP, alias -> "research".equals(alias) ? Optional.of(aliased) : Optional.empty());

            // when / then: the alias decides; without it, the default does
            assertThat(defaulted.choose(new ClaimReader(withDefault.claims()).read(Map.of("team_alias", "research")),
                    null, null, List.of(), "/chat/completions").team()).isSameAs(aliased);
            assertThat(defaulted.choose(new ClaimReader(withDefault.claims()).read(Map.of("sub", "u1")),
                    null, null, List.of(), "/chat/completions").team().teamId()).isEqualTo("team-all");
        }

        @Test
        void takesTeamIdDefaultWhenTheTokenAlsoListsTeams() {
            // LiteLLM drops the default for the alias only when the token carries no team claim at all
            JwtAuthSettings withDefault = new LiteLlmBlock().set("team_alias_jwt_field", "team_alias")
                    .set("team_ids_jwt_field", "team_ids").set("team_id_default", "team-all").settings();
            TeamChoice defaulted = new TeamChoice(withDefault.claims(), new AccessPolicy(withDefault.access()),
                    LOOKUP, alias -> Optional.of(aliased));

            assertThat(defaulted.choose(new ClaimReader(withDefault.claims()).read(Map.of("team_alias", "research",
                    "team_ids", List.of("team-a"))), null, null, List.of(), "/chat/completions").team().teamId())
                    .isEqualTo("team-all");
        }

        @Test
        void refusesAnAliasSeveralTeamsShare() {
            TeamChoice shared = new TeamChoice(settings.claims(), new AccessPolicy(settings.access()), LOOKUP,
                    alias -> {
                        throw AuthException.badRequest("team_alias_ambiguous", "Multiple teams found with alias '"
                                + alias + "'.");
                    });

            assertThatThrownBy(() -> shared.choose(new ClaimReader(settings.claims()).read(Map.of("team_alias",
                    "research")), null, null, List.of(), "/chat/completions"))
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Nested
    class CutTeamList {

        private final JwtAuthSettings settings = new LiteLlmBlock().set("team_ids_jwt_field", "team_ids").settings();
        private final TeamChoice choice = choice(settings);

        private TokenClaims claims(Map<String, Object> claims) {
            return new ClaimReader(settings.claims()).read(claims);
        }

        @Test
        void refusesATokenWhoseTeamListWasCutInsteadOfTreatingItAsTeamless() {
            // given a token the Keycloak mapper marked: more teams than it may carry, none listed
            TokenClaims cut = claims(Map.of("team_ids_overage", true));

            // when / then: 403 that says why, not the personal path of a caller without teams
            assertThatThrownBy(() -> choice.choose(cut, null, null, List.of("gpt-4"), "/chat/completions"))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.reason()).isEqualTo("team_ids_overage");
                        assertThat(e.getMessage()).contains("team list is incomplete");
                    });
        }

        @Test
        void refusesToChooseAmongTheTeamsACutListStillNames() {
            TokenClaims cut = claims(Map.of("team_ids", List.of("team-a"), "team_ids_overage", true));

            assertThatThrownBy(() -> choice.choose(cut, null, null, List.of(), "/chat/completions"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("team_ids_overage"));
        }

        @Test
        void refusesAHeaderTeamACutListMayHaveLeftOutAsOverage() {
            TokenClaims cut = claims(Map.of("team_ids", List.of("team-a"), "team_ids_overage", true));

            assertThatThrownBy(() -> choice.headerTeam("team-b", cut))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("team_ids_overage"));
        }

        @Test
        void readsTheMarkerNamedAfterAConfiguredTeamListClaim() {
            JwtAuthSettings groups = new LiteLlmBlock().set("team_ids_jwt_field", "groups").settings();
            TokenClaims cut = new ClaimReader(groups.claims()).read(Map.of("groups", List.of("team-a"),
                    "groups_overage",
                    true));

            assertThatThrownBy(() -> choice(groups).choose(cut, null, null, List.of(), "/chat/completions"))
                    .isInstanceOfSatisfying(AuthException.class,
                            e -> assertThat(e.reason()).isEqualTo("team_ids_overage"));
        }

        @Test
        void readsAFalseMarkerAsAWholeList() {
            TokenClaims whole = claims(Map.of("team_ids", List.of("team-a"), "team_ids_overage", false));

            assertThat(choice.choose(whole, null, null, List.of("gpt-4"), "/chat/completions").team().teamId())
                    .isEqualTo("team-a");
        }
    }

    // Mirrors LiteLLM find_and_validate_specific_team_id's refusal and its list-indexing hints.
    @Nested
    class RequiredTeam {

        @Test
        void isRequiredOnceATeamIdOrAliasFieldIsSet() {
            assertThat(selection.teamRequired()).isFalse();
            assertThat(choice(new LiteLlmBlock().set("team_id_jwt_field", "team_id").settings()).teamRequired())
                    .isTrue();
            assertThat(choice(new LiteLlmBlock().set("team_alias_jwt_field", "team").settings()).teamRequired())
                    .isTrue();
        }

        @Test
        void namesBothFieldsWhenMissing() {
            AuthException e = choice(new LiteLlmBlock().set("team_id_jwt_field", "team_id").settings())
                    .missingTeam();

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).isEqualTo(
                    "No team found in token. Checked team_id field 'team_id' and team_alias field 'None'.");
        }

        @Test
        void hintsAtDotIndexing() {
            assertThat(choice(new LiteLlmBlock().set("team_id_jwt_field", "groups.0").settings()).missingTeam()
                    .getMessage()).endsWith("Hint: dot-notation array indexing (e.g. 'groups.0') is not supported. "
                    + "Use 'groups' instead — LiteLLM automatically uses the first element when the field value is a "
                    + "list.");
        }

        @Test
        void hintsAtBracketIndexing() {
            assertThat(choice(new LiteLlmBlock().set("team_id_jwt_field", "groups[0]").settings()).missingTeam()
                    .getMessage()).contains("Hint: array indexing (e.g. 'groups[0]') is not supported in "
                    + "team_id_jwt_field. Use 'groups' instead");
        }
    }

    // Mirrors LiteLLM test_resolve_team_from_header_returns_allowed_id_none_without_header_and_403_on_invalid.
    @Nested
    class Header {

        private final JwtAuthSettings settings = new LiteLlmBlock().set("team_ids_jwt_field", "groups")
                .set("team_id_jwt_field", "team_id").settings();
        private final TokenClaims claims = new ClaimReader(settings.claims())
                .read(Map.of("groups", List.of("team-b", "team-a"), "team_id", "primary"));
        private final TeamChoice choice = new TeamChoice(settings.claims(), new AccessPolicy(settings.access()),
                LOOKUP, alias -> switch (alias) {
                    case "Research" -> Optional.of(team("team-a", "gpt-4"));
                    case "Everyone" -> Optional.of(team("team-all"));
                    case "Shared" -> throw AuthException.badRequest("team_alias_ambiguous", "Multiple teams");
                    default -> Optional.empty();
                });

        @Test
        void acceptsOneOfTheTokensTeams() {
            assertThat(choice.headerTeam("team-a", claims)).isEqualTo("team-a");
            assertThat(choice.headerTeam("primary", claims)).isEqualTo("primary");
        }

        @Test
        void readsABlankHeaderAsNone() {
            // the token's own team decides, and it is not in the database
            for (String header : new String[] {null, " "}) {
                assertThatThrownBy(() -> choice.choose(claims, null, header, List.of(), "/chat/completions"))
                        .isInstanceOfSatisfying(AuthException.class,
                                e -> assertThat(e.getMessage()).contains("Team=primary."));
            }
        }

        @Test
        void refusesAnyOtherTeam() {
            assertThatThrownBy(() -> choice.headerTeam("invalid-team", claims))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.getMessage()).isEqualTo("x-litellm-team-id 'invalid-team' does not resolve to a "
                                + "team id or a unique team alias in your JWT's allowed teams. Allowed team ids: "
                                + "['primary', 'team-a', 'team-b']");
                    });
        }

        // Mirrors LiteLLM resolve_team_from_header: an alias is accepted when its team would be accepted by id.
        @Test
        void acceptsTheAliasOfOneOfTheTokensTeams() {
            // when the header names team-a by its alias
            Team chosen = choice.choose(claims, null, "Research", List.of("gpt-4"), "/chat/completions").team();

            // then the request is made for team-a
            assertThat(chosen.teamId()).isEqualTo("team-a");
        }

        @Test
        void refusesTheAliasOfATeamTheTokenDoesNotCarry() {
            assertThatThrownBy(() -> choice.headerTeam("Everyone", claims))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.reason()).isEqualTo("team_header_not_allowed");
                    });
        }

        @Test
        void refusesAnAliasSeveralTeamsShareAsNamingNoTeam() {
            assertThatThrownBy(() -> choice.headerTeam("Shared", claims))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.reason()).isEqualTo("team_header_not_allowed");
                    });
        }
    }
}
