package io.claimgate.model;

import java.util.List;
import java.util.Objects;

/**
 * What {@code sync_user_role_and_teams} changes in LiteLLM's tables for one user: LiteLLM's
 * {@code JWTAuthManager.sync_user_role_and_teams}.
 *
 * @param userId        the user's {@code user_id}
 * @param role          the {@code user_role} to write, or {@code null} to leave it
 * @param teamsToAdd    teams to add the user to (as member {@code role: user}), in token order
 * @param teamsToRemove teams to take the user out of
 */
public record UserSync(String userId, ProxyRole role, List<String> teamsToAdd, List<String> teamsToRemove) {

    public UserSync {
        Objects.requireNonNull(userId, "userId");
        teamsToAdd = List.copyOf(teamsToAdd);
        teamsToRemove = List.copyOf(teamsToRemove);
    }

    /** Whether the team memberships change. */
    public boolean changesTeams() {
        return !teamsToAdd.isEmpty() || !teamsToRemove.isEmpty();
    }
}
