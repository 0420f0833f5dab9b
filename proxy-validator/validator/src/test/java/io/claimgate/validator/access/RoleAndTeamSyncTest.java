package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.model.ProxyRole;
import io.claimgate.model.User;
import io.claimgate.model.UserSync;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LiteLLM's {@code sync_user_role_and_teams} decisions, mirroring its {@code test_sync_user_role_and_teams*}. */
class RoleAndTeamSyncTest {

    private static User user(ProxyRole role, List<String> teams) {
        return new User("u1", null, null, role, null, teams, List.of(), null, 0);
    }

    @Test
    void writesTheMappedRoleWhenItDiffersFromTheStoredOne() {
        assertThat(RoleAndTeamSync.plan(user(ProxyRole.INTERNAL_USER, List.of()), ProxyRole.PROXY_ADMIN, List.of()))
                .contains(new UserSync("u1", ProxyRole.PROXY_ADMIN, List.of(), List.of()));
    }

    @Test
    void addsTheTokensNewTeamsAndRemovesTheOnesItNoLongerHas() {
        assertThat(RoleAndTeamSync.plan(user(ProxyRole.INTERNAL_USER, List.of("team1", "team2")), null,
                List.of("team2", "team3")))
                .contains(new UserSync("u1", null, List.of("team3"), List.of("team1")));
    }

    @Test
    void changesNothingWhenTheRowAgreesWithTheToken() {
        assertThat(RoleAndTeamSync.plan(user(ProxyRole.PROXY_ADMIN, List.of("team1", "team2")),
                ProxyRole.PROXY_ADMIN, List.of("team2", "team1"))).isEmpty();
    }

    @Test
    void leavesTheStoredRoleWhenNoMappingMatches() {
        assertThat(RoleAndTeamSync.plan(user(ProxyRole.PROXY_ADMIN, List.of()), null, List.of())).isEmpty();
    }

    @Test
    void aTokenWithoutTeamsTakesTheUserOutOfEveryTeamAsLiteLlmDoes() {
        assertThat(RoleAndTeamSync.plan(user(ProxyRole.INTERNAL_USER, List.of("team1")), null, List.of()))
                .contains(new UserSync("u1", null, List.of(), List.of("team1")));
    }

    @Test
    void aCutTeamListLeavesTheTeamsAlone() {
        assertThat(RoleAndTeamSync.plan(user(ProxyRole.INTERNAL_USER, List.of("team1")), null, null)).isEmpty();
        assertThat(RoleAndTeamSync.plan(user(ProxyRole.INTERNAL_USER, List.of("team1")), ProxyRole.PROXY_ADMIN, null))
                .contains(new UserSync("u1", ProxyRole.PROXY_ADMIN, List.of(), List.of()));
    }

    @Test
    void syncsNothingWithoutAStoredUser() {
        assertThat(RoleAndTeamSync.plan(null, ProxyRole.PROXY_ADMIN, List.of("team1"))).isEmpty();
    }

    @Test
    void aRowWithoutARoleGetsTheMappedOne() {
        assertThat(RoleAndTeamSync.plan(user(null, List.of()), ProxyRole.INTERNAL_USER_VIEWER, List.of()))
                .contains(new UserSync("u1", ProxyRole.INTERNAL_USER_VIEWER, List.of(), List.of()));
    }
}
