package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelAccessTest {

    @Nested
    class LiteLlmSemantics {

        @Test
        void anEmptyListAllowsEveryModel() {
            assertThat(ModelAccess.of(List.of()).allows("anything")).isTrue();
            assertThat(ModelAccess.of(null).allows("anything")).isTrue();
        }

        @ParameterizedTest
        @CsvSource({"*", "all-proxy-models"})
        void specialNamesAllowEveryModel(String special) {
            assertThat(ModelAccess.of(List.of("gpt-4", special)).allows("claude-3")).isTrue();
        }

        @Test
        void exactNamesAllowOnlyThemselves() {
            ModelAccess access = ModelAccess.of(List.of("gpt-4", "gpt-4o"));

            assertThat(access.allows("gpt-4")).isTrue();
            assertThat(access.allows("gpt-4o-mini")).isFalse();
            assertThat(access.allows("GPT-4")).isFalse();
        }

        // LiteLLM _model_matches_any_wildcard_pattern_in_list examples.
        @ParameterizedTest
        @CsvSource({
                "bedrock/*, bedrock/us.amazon.nova-micro-v1:0, true",
                "bedrock/us.*, bedrock/us.amazon.nova-micro-v1:0, true",
                "bedrock/*, bedrockzzzz/us.amazon.nova-micro-v1:0, false",
                "openai/*, openai/gpt-4o, true",
                "openai/*, gpt-4o, false",
                "gpt-4*, gpt-4o-mini, true",
                "*-mini, gpt-4o-mini, true",
                "*-mini, gpt-4o-mini-2, false"})
        void wildcardsAreAnchoredPatterns(String pattern, String model, boolean expected) {
            assertThat(ModelAccess.of(List.of(pattern)).allows(model)).isEqualTo(expected);
            assertThat(ModelAccess.permits(List.of(pattern), model)).isEqualTo(expected);
        }

        @Test
        void dotsInWildcardsAreLiteral() {
            assertThat(ModelAccess.of(List.of("gpt-4.1*")).allows("gpt-451")).isFalse();
        }

        @Test
        void aRequestWithoutAModelIsAllowed() {
            assertThat(ModelAccess.of(List.of("gpt-4")).allows(null)).isTrue();
        }

        // LiteLLM also allows a team's model aliases; teams here carry none, so an alias is only allowed when listed.
        @Test
        void aNameOutsideTheListIsRefusedEvenIfItCouldBeAnAlias() {
            ModelAccess access = ModelAccess.of(List.of("gpt-4o"));

            assertThat(access.allows("fast")).isFalse();
            assertThat(ModelAccess.of(List.of("gpt-4o", "fast")).allows("fast")).isTrue();
        }

        @ParameterizedTest
        @CsvSource({
                "gpt-?, gpt-4",
                "gpt-[45], gpt-4",
                "gpt-4.1, gpt-4x1",
                "(gpt*, gpt-4"})
        void onlyTheStarIsSpecialInAModelWildcard(String pattern, String model) {
            assertThat(ModelAccess.of(List.of(pattern)).allows(model)).isFalse();
            assertThat(ModelAccess.of(List.of(pattern)).allows(pattern)).isTrue();
        }
    }

    /** Model names come from callers: no name may make the match backtrack. */
    @Nested
    class HostileNames {

        @Test
        void refusesANameBuiltToBacktrackAgainstManyStars() {
            String name = "a".repeat(5000) + "!";

            assertThat(ModelAccess.of(List.of("a*a*a*a*a*b")).allows(name)).isFalse();
            assertThat(ModelAccess.permits(List.of("a*a*a*a*a*b"), name)).isFalse();
            assertThat(ModelAccess.listed(List.of("a*a*a*a*a*b")).allows(name)).isFalse();
        }

        @Test
        void stillAllowsALongNameThePatternMatches() {
            String name = "a".repeat(5000) + "b";

            assertThat(ModelAccess.of(List.of("a*a*a*a*a*b")).allows(name)).isTrue();
        }

        @Test
        void refusesANameWhosePiecesWouldOverlap() {
            assertThat(ModelAccess.of(List.of("ab*ba")).allows("aba")).isFalse();
            assertThat(ModelAccess.of(List.of("ab*ba")).allows("abba")).isTrue();
        }
    }

    /** What {@code /models} shows: the proxy's models this access allows, in the proxy's order. */
    @Nested
    class AllowedAmong {

        private final List<String> proxyModels = List.of("gpt-4o", "openai/o3", "openai/gpt-4o-mini", "claude");

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "''                                  | gpt-4o,openai/o3,openai/gpt-4o-mini,claude",
                "*                                   | gpt-4o,openai/o3,openai/gpt-4o-mini,claude",
                "all-proxy-models                    | gpt-4o,openai/o3,openai/gpt-4o-mini,claude",
                "openai/*                            | openai/o3,openai/gpt-4o-mini",
                "claude,gpt-4o                       | gpt-4o,claude",
                "mistral                             | ''"})
        void listsExactlyTheModelsTheListAllows(String list, String expected) {
            List<String> models = list.isEmpty() ? List.of() : List.of(list.split(","));

            List<String> shown = ModelAccess.of(models).allowedAmong(proxyModels);

            assertThat(shown).containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected.split(",")));
            assertThat(shown).allMatch(model -> ModelAccess.permits(models, model));
        }

        @Test
        void anEmptyListedAccessShowsNothing() {
            assertThat(ModelAccess.listed(List.of()).allowedAmong(proxyModels)).isEmpty();
        }
    }

    @Nested
    class Listed {

        @Test
        void anEmptyListAllowsNothingButARequestWithoutModel() {
            assertThat(ModelAccess.listed(List.of()).allows("gpt-4")).isFalse();
            assertThat(ModelAccess.listed(List.of()).allows(null)).isTrue();
        }

        @Test
        void namesWildcardsAndStarStillWork() {
            assertThat(ModelAccess.listed(List.of("gpt-4")).allows("gpt-4")).isTrue();
            assertThat(ModelAccess.listed(List.of("openai/*")).allows("openai/o3")).isTrue();
            assertThat(ModelAccess.listed(List.of("*")).allows("x")).isTrue();
        }
    }

    /** The per-request form must decide exactly as the compiled one. */
    @Nested
    class WithoutBuilding {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "''                         | anything       | true",
                "gpt-4,*                    | claude-3       | true",
                "gpt-4,all-proxy-models     | claude-3       | true",
                "gpt-4,gpt-4o               | gpt-4o-mini    | false",
                "gpt-4,gpt-4o               | gpt-4          | true",
                "gpt-4.1*                   | gpt-451        | false",
                "a*b*c                      | aXXbYYc        | true",
                "a*b*c                      | aXXbYY         | false",
                "**                         | x              | true",
                "openai/*,anthropic/*       | anthropic/c-3  | true"})
        void decidesAsTheCompiledAccess(String list, String model, boolean expected) {
            List<String> models = list.isEmpty() ? List.of() : List.of(list.split(","));

            assertThat(ModelAccess.permits(models, model)).isEqualTo(expected);
            assertThat(ModelAccess.of(models).allows(model)).isEqualTo(expected);
        }

        @Test
        void allowsARequestWithoutAModel() {
            assertThat(ModelAccess.permits(List.of("gpt-4"), null)).isTrue();
        }
    }

    /** Whose list decides, as the common checks choose it. */
    @Nested
    class Governing {

        private final Team team = new Team("t", "T", null, List.of("openai/*"), null, 0, false, Map.of());

        private User user(String... models) {
            return new User("u", null, null, ProxyRole.INTERNAL_USER, null, List.of(), List.of(models), null, 0);
        }

        @Test
        void theTeamsListDecidesForARequestMadeForATeam() {
            ModelAccess access = ModelAccess.governing(team, user("claude"));

            assertThat(access.allows("openai/o3")).isTrue();
            assertThat(access.allows("claude")).isFalse();
        }

        @Test
        void theUsersListDecidesWithoutATeam() {
            ModelAccess access = ModelAccess.governing(null, user("claude"));

            assertThat(access.allows("claude")).isTrue();
            assertThat(access.allows("openai/o3")).isFalse();
        }

        @Test
        void aUserWithoutDefaultModelsMayCallNoneWithoutATeam() {
            ModelAccess access = ModelAccess.governing(null, user(CommonChecks.NO_DEFAULT_MODELS, "claude"));

            assertThat(access.allows("claude")).isFalse();
            assertThat(access.allowedAmong(List.of("claude", "gpt-4o"))).isEmpty();
        }

        @Test
        void aCallerWithoutTeamOrUserMayCallEveryModel() {
            assertThat(ModelAccess.governing(null, null).allowedAmong(List.of("claude", "gpt-4o")))
                    .containsExactly("claude", "gpt-4o");
        }
    }
}
