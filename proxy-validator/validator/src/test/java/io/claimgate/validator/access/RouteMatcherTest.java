package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RouteMatcherTest {

    static List<String> everyLiteralRouteOfEveryGroup() {
        return RouteGroups.names().stream().flatMap(g -> RouteGroups.routes(g).stream())
                .filter(r -> r.indexOf('{') < 0).distinct().toList();
    }

    @Nested
    class Groups {

        @ParameterizedTest
        @MethodSource("io.claimgate.validator.access.RouteMatcherTest#everyLiteralRouteOfEveryGroup")
        void everyLiteralRouteMatchesTheGroupsThatListIt(String route) {
            for (String group : RouteGroups.names()) {
                assertThat(RouteMatcher.of(List.of(group)).matches(route)).as(group + " " + route)
                        .isEqualTo(RouteGroups.routes(group).contains(route) || templateOf(group, route));
            }
        }

        private boolean templateOf(String group, String route) {
            return RouteGroups.routes(group).stream().filter(t -> t.indexOf('{') >= 0)
                    .anyMatch(t -> route.matches(RouteMatcher.templateRegex(t)));
        }

        @ParameterizedTest
        @CsvSource({
                "openai_routes, /engines/gpt-4/chat/completions, true",
                "openai_routes, /openai/deployments/my-dep/embeddings, true",
                "openai_routes, /engines/a/b/chat/completions, false",
                "openai_routes, /v1/files/file-1/content, true",
                "openai_routes, /v1/files//content, false",
                "anthropic_routes, /v1/skills/skill_abc123, true",
                "mcp_routes, /v1/mcp/server/a/b/c, true",
                "mcp_routes, /v1/mcp/server/, true",
                "mcp_routes, /mcp/anything, true",
                "mcp_routes, /mcp/a/b, false",
                "llm_api_routes, /v1beta/models/gemini/pro:generateContent, true",
                "llm_api_routes, /v1beta/models/x:other, false",
                "management_routes, /team/abc, true",
                "management_routes, /key/k1/regenerate, true",
                "info_routes, /team/abc, false"})
        void templatesMatchOneSegmentOrAPathAndAreAnchored(String group, String route, boolean expected) {
            assertThat(RouteMatcher.of(List.of(group)).matches(route)).isEqualTo(expected);
        }

        @Test
        void starsInsideGroupsAreLiteralAsInStarlette() {
            RouteMatcher openai = RouteMatcher.of(List.of("openai_routes"));

            assertThat(openai.matches("/containers/*")).isTrue();
            assertThat(openai.matches("/containers/abc")).isFalse();
        }

        @Test
        void groupRoutesDoNotMatchByPrefix() {
            assertThat(RouteMatcher.of(List.of("openai_routes")).matches("/chat/completions/extra")).isFalse();
        }

        // Mirrors LiteLLM test_default_team_allowed_routes_cover_messages_but_not_skills (the skills half).
        @Test
        void claimgatesDefaultTeamRoutesDoNotCoverSkills() {
            RouteMatcher team = RouteMatcher.of(List.of("openai_routes", "info_routes", "mcp_routes"));

            assertThat(team.matches("/v1/skills")).isFalse();
            assertThat(team.matches("/v1/skills/skill_abc123")).isFalse();
        }
    }

    @Nested
    class ExactAndWildcard {

        @Test
        void matchesAnExactRouteOnly() {
            RouteMatcher matcher = RouteMatcher.of(List.of("/custom/route"));

            assertThat(matcher.matches("/custom/route")).isTrue();
            assertThat(matcher.matches("/custom/route/x")).isFalse();
            assertThat(matcher.matches("/custom")).isFalse();
        }

        // Mirrors LiteLLM test_find_team_with_model_access_team_allowed_routes_wildcard_grants_auth_passthrough.
        @Test
        void aTrailingStarMatchesByPrefix() {
            RouteMatcher matcher = RouteMatcher.of(List.of("openai_routes", "/model-host/*"));

            assertThat(matcher.matches("/model-host/v1/extractor/predict")).isTrue();
            assertThat(matcher.matches("/model-host/")).isTrue();
            assertThat(matcher.matches("/model-hostile")).isFalse();
            assertThat(matcher.matches("/chat/completions")).isTrue();
        }

        @Test
        void aLoneStarMatchesEverything() {
            assertThat(RouteMatcher.of(List.of("*")).matches("/anything/at/all")).isTrue();
        }

        @Test
        void templatesOutsideGroupsAreNotExpanded() {
            assertThat(RouteMatcher.of(List.of("/team/{team_id}")).matches("/team/abc")).isFalse();
        }

        @Test
        void templatesOutsideGroupsAreExpandedWhenAskedFor() {
            RouteMatcher matcher = RouteMatcher.withTemplates(List.of("/openai/deployments/{model}/chat/completions",
                    "/v1beta/models/{model_name:path}:generateContent", "/v1/messages"));

            assertThat(matcher.matches("/openai/deployments/gpt-4o/chat/completions")).isTrue();
            assertThat(matcher.matches("/openai/deployments/a/b/chat/completions")).isFalse();
            assertThat(matcher.matches("/v1beta/models/gemini/pro:generateContent")).isTrue();
            assertThat(matcher.matches("/v1/messages")).isTrue();
            assertThat(matcher.matches("/openai/deployments/{model}/chat/completions/x")).isFalse();
        }

        @Test
        void anEmptyListMatchesNothing() {
            assertThat(RouteMatcher.of(List.of()).matches("/")).isFalse();
        }

        @Test
        void aNullRouteMatchesNothing() {
            assertThat(RouteMatcher.of(List.of("*")).matches(null)).isFalse();
        }

        @Test
        void reportsActualRoutesWithGroupsExpanded() {
            RouteMatcher matcher = RouteMatcher.of(List.of("/x", "model_info_routes"));

            assertThat(matcher.entries()).containsExactly("/x", "model_info_routes");
            assertThat(matcher.actualRoutes()).containsExactly("/x", "/model/info", "/v1/model/info");
        }
    }
}
