package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.validator.access.ModelCatalogue.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Model lists decided as the upstream's router runs a request: access groups, provider wildcards, router and team
 * aliases ({@link ModelAccess#allows(String, ModelCatalogue, Map)}). Mirrors LiteLLM's
 * {@code test_auth_checks.py} cases where they apply; where Claimgate is stricter the test says so.
 */
class RouterModelAccessTest {

    private static final Map<String, String> NO_TEAM_ALIASES = Map.of();

    private static ModelCatalogue catalogue(List<Deployment> deployments, Map<String, String> aliases) {
        return ModelCatalogue.of(deployments, aliases);
    }

    private static Deployment deployment(String name, String upstream, String... groups) {
        return new Deployment(name, upstream, List.of(groups));
    }

    private static boolean allows(List<String> models, String model, ModelCatalogue catalogue) {
        return ModelAccess.of(models).allows(model, catalogue, NO_TEAM_ALIASES);
    }

    @Nested
    class AccessGroups {

        private final ModelCatalogue proxy = catalogue(List.of(
                deployment("gpt-4o", "openai/gpt-4o", "beta-models", "tier-a"),
                deployment("claude-sonnet", "anthropic/claude-sonnet", "claude-tier"),
                deployment("secret-model", "openai/secret", "secret-group")), Map.of());

        @Test
        void aListNamingAnAccessGroupAllowsTheModelsInIt() {
            // given a team whose models name the group, as LiteLLM's test_can_team_access_model with access groups
            List<String> teamModels = List.of("beta-models");

            // then the group's model is allowed, the others are not
            assertThat(allows(teamModels, "gpt-4o", proxy)).isTrue();
            assertThat(allows(teamModels, "claude-sonnet", proxy)).isFalse();
            assertThat(allows(teamModels, "secret-model", proxy)).isFalse();
        }

        @Test
        void aGroupNameIsNotAModelOfItsOwn() {
            assertThat(allows(List.of("open-group"), "secret-model", proxy)).isFalse();
            assertThat(allows(List.of("beta-models"), "tier-a", proxy)).isFalse();
        }

        @Test
        void anUnknownGroupGrantsNothing() {
            assertThat(allows(List.of("no-such-group"), "gpt-4o", proxy)).isFalse();
            assertThat(allows(List.of("no-such-group"), "claude-sonnet", proxy)).isFalse();
        }

        @Test
        void aModelInSeveralGroupsIsAllowedThroughAnyOfThem() {
            assertThat(allows(List.of("tier-a"), "gpt-4o", proxy)).isTrue();
            assertThat(allows(List.of("claude-tier", "beta-models"), "gpt-4o", proxy)).isTrue();
        }

        @Test
        void withoutACatalogueAGroupNameGrantsOnlyItsOwnName() {
            assertThat(allows(List.of("beta-models"), "gpt-4o", ModelCatalogue.EMPTY)).isFalse();
        }
    }

    @Nested
    class ProviderWildcards {

        private final ModelCatalogue proxy = catalogue(List.of(
                deployment("gpt-4o", "openai/gpt-4o"),
                deployment("my-gpt", "openai/gpt-4o-mini"),
                deployment("claude", "anthropic/claude-3-5-sonnet"),
                deployment("mixed", "openai/gpt-4o"),
                deployment("mixed", "anthropic/claude-3-5-sonnet"),
                deployment("no-provider", null)), Map.of());

        @Test
        void aProviderWildcardAllowsAModelNameThatRunsOnThatProvider() {
            // given LiteLLM's "openai/*" team entry, which LiteLLM matches against the provider the model runs on
            List<String> teamModels = List.of("openai/*");

            assertThat(allows(teamModels, "gpt-4o", proxy)).isTrue();
            assertThat(allows(teamModels, "my-gpt", proxy)).isTrue();
            assertThat(allows(teamModels, "claude", proxy)).isFalse();
        }

        @Test
        void aModelNameBalancedAcrossProvidersNeedsEveryDeploymentAllowed() {
            // the router may pick either deployment, so one outside the provider refuses the name
            assertThat(allows(List.of("openai/*"), "mixed", proxy)).isFalse();
            assertThat(allows(List.of("openai/*", "anthropic/*"), "mixed", proxy)).isTrue();
        }

        @Test
        void aDeploymentWithoutAProviderMatchesNoProviderWildcard() {
            assertThat(allows(List.of("openai/*"), "no-provider", proxy)).isFalse();
        }

        @Test
        void aNameTheCatalogueDoesNotKnowIsNotInferred() {
            // LiteLLM guesses the provider of an unknown name from its own model registry; Claimgate does not guess
            assertThat(allows(List.of("openai/*"), "gpt-4.1", proxy)).isFalse();
        }

        @ParameterizedTest(name = "{0} under {1}: {2}")
        @CsvSource({
                "bedrock/us.amazon.nova-micro-v1:0, bedrock/*, true",
                "bedrock/us.amazon.nova-micro-v1:0, bedrock/us.*, true",
                "bedrockzzzz/us.amazon.nova-micro-v1:0, bedrock/*, false"})
        void wildcardsStillMatchTheRequestedNameItself(String model, String pattern, boolean expected) {
            // LiteLLM's test__model_matches_any_wildcard_pattern_in_list
            assertThat(allows(List.of(pattern), model, proxy)).isEqualTo(expected);
        }
    }

    @Nested
    class RouterAliases {

        private final ModelCatalogue proxy = catalogue(List.of(
                deployment("gpt-4o", "openai/gpt-4o", "tier-a"),
                deployment("claude-opus", "anthropic/claude-opus"),
                deployment("gpt-4", "openai/gpt-4")),
                Map.of("fast", "gpt-4o", "gpt-4", "claude-opus"));

        @Test
        void anAliasIsAllowedWhenTheModelItRunsIsAllowed() {
            assertThat(allows(List.of("gpt-4o"), "fast", proxy)).isTrue();
            assertThat(allows(List.of("tier-a"), "fast", proxy)).isTrue();
            assertThat(allows(List.of("claude-opus"), "fast", proxy)).isFalse();
        }

        @Test
        void anAliasNamedExactlyInTheListIsAllowed() {
            // LiteLLM checks the alias name and its target; naming the alias is naming what it runs
            assertThat(allows(List.of("fast"), "fast", proxy)).isTrue();
        }

        @Test
        void aWildcardMatchingAnAliasNameDoesNotGrantWhatItRuns() {
            // stricter than LiteLLM: "fa*" was not written with "fast runs gpt-4o" in mind
            assertThat(allows(List.of("fa*"), "fast", proxy)).isFalse();
        }

        @Test
        void aNameThatIsBothAnAliasAndAModelIsCheckedAsTheAliasTheRouterRuns() {
            // the router applies model_group_alias before it looks for a model_name, so "gpt-4" runs claude-opus
            assertThat(allows(List.of("gpt-4"), "gpt-4", proxy)).isFalse();
            assertThat(allows(List.of("claude-opus"), "gpt-4", proxy)).isTrue();
        }

        @Test
        void theAliasTargetItselfStaysAllowedOnItsOwn() {
            assertThat(allows(List.of("gpt-4o"), "gpt-4o", proxy)).isTrue();
        }
    }

    @Nested
    class TeamAliases {

        private final ModelCatalogue proxy = catalogue(List.of(
                deployment("gpt-4o", "openai/gpt-4o"),
                deployment("gpt-4o-team-1", "azure/gpt-4o-team-1"),
                deployment("claude-opus", "anthropic/claude-opus")),
                Map.of("best", "claude-opus"));

        @Test
        void aTeamAliasNamedInTheTeamsModelsIsAllowed() {
            // LiteLLM's _model_in_team_aliases: {"gpt-4o-alias": "gpt-4o-team-1"}, the team may call "gpt-4o-alias"
            Map<String, String> aliases = Map.of("gpt-4o-alias", "gpt-4o-team-1");

            assertThat(ModelAccess.of(List.of("gpt-4o-alias")).allows("gpt-4o-alias", proxy, aliases)).isTrue();
        }

        @Test
        void aTeamAliasIsAllowedWhenTheModelItRunsIsTheTeams() {
            Map<String, String> aliases = Map.of("gpt-4o-alias", "gpt-4o-team-1");

            assertThat(ModelAccess.of(List.of("gpt-4o-team-1")).allows("gpt-4o-alias", proxy, aliases)).isTrue();
        }

        @Test
        void aTeamAliasToAModelTheTeamMayNotCallIsRefused() {
            // stricter than LiteLLM, which lets any alias key through: the upstream would run claude-opus
            Map<String, String> aliases = Map.of("cheap", "claude-opus");

            assertThat(ModelAccess.of(List.of("gpt-4o")).allows("cheap", proxy, aliases)).isFalse();
        }

        @Test
        void aTeamAliasHidingAModelNameIsCheckedAsTheModelItRuns() {
            // the team alias replaces the requested name before routing: "gpt-4o" runs claude-opus for this team
            Map<String, String> aliases = Map.of("gpt-4o", "claude-opus");

            assertThat(ModelAccess.of(List.of("gpt-4o")).allows("gpt-4o", proxy, aliases)).isFalse();
            assertThat(ModelAccess.of(List.of("claude-opus")).allows("gpt-4o", proxy, aliases)).isTrue();
        }

        @Test
        void aTeamAliasToARouterAliasIsFollowedToTheModelTheRouterRuns() {
            Map<String, String> aliases = Map.of("mine", "best");

            assertThat(ModelAccess.of(List.of("gpt-4o")).allows("mine", proxy, aliases)).isFalse();
            assertThat(ModelAccess.of(List.of("claude-opus")).allows("mine", proxy, aliases)).isTrue();
            assertThat(ModelAccess.of(List.of("best")).allows("mine", proxy, aliases)).isTrue();
        }

        @Test
        void anEmptyTeamListStillAllowsEverything() {
            assertThat(ModelAccess.of(List.of()).allows("cheap", proxy, Map.of("cheap", "claude-opus"))).isTrue();
        }
    }

    @Nested
    class ModelsList {

        private final ModelCatalogue proxy = catalogue(List.of(
                deployment("gpt-4o", "openai/gpt-4o", "tier-a"),
                deployment("gpt-4o-mini", "openai/gpt-4o-mini"),
                deployment("claude", "anthropic/claude"),
                deployment("secret", "openai/secret", "secret-group")),
                Map.of("fast", "gpt-4o-mini"));

        @Test
        void listsExactlyTheNamesTheCallerMayCall() {
            ModelAccess access = ModelAccess.of(List.of("tier-a", "anthropic/*"));

            List<String> shown = access.allowedAmong(proxy, NO_TEAM_ALIASES);

            assertThat(shown).containsExactly("gpt-4o", "claude");
        }

        @Test
        void everyListedNameIsAllowedAndEveryOtherRefused() {
            List<String> teamModels = List.of("openai/*");
            Map<String, String> teamAliases = Map.of("house", "claude", "small", "gpt-4o-mini");
            ModelAccess access = ModelAccess.of(teamModels);

            List<String> shown = access.allowedAmong(proxy, teamAliases);

            assertThat(shown).containsExactly("gpt-4o", "gpt-4o-mini", "secret", "fast", "small");
            for (String name : List.of("gpt-4o", "gpt-4o-mini", "claude", "secret", "fast", "house", "small")) {
                assertThat(access.allows(name, proxy, teamAliases)).as(name).isEqualTo(shown.contains(name));
            }
        }

        @Test
        void anEmptyListShowsEveryNameWithTheAliases() {
            assertThat(ModelAccess.of(List.of()).allowedAmong(proxy, NO_TEAM_ALIASES))
                    .containsExactly("gpt-4o", "gpt-4o-mini", "claude", "secret", "fast");
        }
    }
}
