package io.claimgate.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TeamResolverTest {

    private final TeamResolver resolver = new TeamResolver("/teams", "team_id");

    static GroupMembership group(String path) {
        return group(path, Map.of());
    }

    static GroupMembership group(String path, Map<String, List<String>> attributes) {
        return new GroupMembership(path, path.substring(path.lastIndexOf('/') + 1), attributes);
    }

    private static List<String> ids(List<TeamGroup> teams) {
        return teams.stream().map(TeamGroup::id).toList();
    }

    @Nested
    class Teams {

        @Test
        void userWithoutGroupsHasNoTeams() {
            assertThat(resolver.teams(List.of())).isEmpty();
        }

        @Test
        void groupsBelowTheTeamsPathAreTeamsAndOthersAreNot() {
            var teams = resolver.teams(List.of(group("/teams/research"), group("/staff"), group("/teamsters")));

            assertThat(ids(teams)).containsExactly("research");
        }

        @Test
        void nestedGroupsAtAnyDepthBelowThePathAreTeams() {
            var teams = resolver.teams(List.of(group("/teams/research/nlp"), group("/teams/a/b/c")));

            assertThat(ids(teams)).containsExactly("c", "nlp");
        }

        @Test
        void groupAtTheTeamsPathItselfIsATeam() {
            assertThat(ids(resolver.teams(List.of(group("/teams"))))).containsExactly("teams");
        }

        @Test
        void teamIdAttributeOverridesTheGroupName() {
            var teams = resolver.teams(List.of(group("/teams/support", Map.of("team_id", List.of("team-42")))));

            assertThat(ids(teams)).containsExactly("team-42");
        }

        @Test
        void blankTeamIdAttributeFallsBackToTheGroupName() {
            var teams = resolver.teams(List.of(group("/teams/support", Map.of("team_id", List.of(" ")))));

            assertThat(ids(teams)).containsExactly("support");
        }

        @Test
        void idsAreSortedAndDeduplicated() {
            var teams = resolver.teams(List.of(group("/teams/zeta"), group("/teams/alpha"),
                    group("/teams/x/alpha"), group("/teams/other", Map.of("team_id", List.of("zeta")))));

            assertThat(ids(teams)).containsExactly("alpha", "zeta");
        }

        @Test
        void duplicateIdKeepsTheGroupWithTheSmallestPath() {
            var teams = resolver.teams(List.of(group("/teams/x/alpha"), group("/teams/alpha")));

            assertThat(teams.get(0).group().path()).isEqualTo("/teams/alpha");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/teams/research", "/staff", "/x/y"})
        void rootPathMakesEveryGroupATeam(String path) {
            assertThat(new TeamResolver("/", "team_id").teams(List.of(group(path)))).hasSize(1);
        }
    }

    @Nested
    class ActiveTeam {

        private final List<TeamGroup> two = resolver.teams(List.of(group("/teams/a"), group("/teams/b")));
        private final List<TeamGroup> one = resolver.teams(List.of(group("/teams/a")));

        @Test
        void requestedTeamWinsWhenTheUserIsInIt() {
            assertThat(TeamResolver.activeTeam(two, Optional.of("b")).map(TeamGroup::id)).contains("b");
        }

        @Test
        void requestedTeamTheUserIsNotInIsIgnoredWithSeveralTeams() {
            assertThat(TeamResolver.activeTeam(two, Optional.of("c"))).isEmpty();
        }

        @Test
        void requestedTeamTheUserIsNotInFallsBackToTheOnlyTeam() {
            assertThat(TeamResolver.activeTeam(one, Optional.of("c")).map(TeamGroup::id)).contains("a");
        }

        @Test
        void onlyTeamIsActiveWithoutARequest() {
            assertThat(TeamResolver.activeTeam(one, Optional.empty()).map(TeamGroup::id)).contains("a");
        }

        @Test
        void severalTeamsWithoutARequestGiveNoActiveTeam() {
            assertThat(TeamResolver.activeTeam(two, Optional.empty())).isEmpty();
        }

        @Test
        void noTeamsGiveNoActiveTeam() {
            assertThat(TeamResolver.activeTeam(List.of(), Optional.of("a"))).isEmpty();
        }
    }
}
