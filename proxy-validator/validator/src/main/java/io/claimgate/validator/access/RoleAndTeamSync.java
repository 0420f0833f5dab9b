package io.claimgate.validator.access;

import io.claimgate.model.ProxyRole;
import io.claimgate.model.User;
import io.claimgate.model.UserSync;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * LiteLLM's {@code sync_user_role_and_teams}, as a decision over the stored row: the role follows the token's
 * {@code jwt_litellm_role_map} match, the team memberships follow its {@code team_ids}. Pure; the write is the
 * directory's. Nothing to write, the common case, is answered without allocating a change, so that a request whose
 * token agrees with the row costs no write.
 */
public final class RoleAndTeamSync {

    private RoleAndTeamSync() {
    }

    /**
     * @param user         the stored row, or {@code null} when there is none (then nothing is synced, as in LiteLLM)
     * @param mappedRole   the role {@code jwt_litellm_role_map} gives the token, or {@code null} when no mapping
     *                     matches: the stored role is then left as it is, as in LiteLLM
     * @param tokenTeamIds the token's {@code team_ids_jwt_field} list; an empty list takes the user out of every
     *                     team, as LiteLLM's set difference does; {@code null} leaves the teams alone (a list the
     *                     identity provider cut short says nothing about the teams it left out)
     * @return the change, or empty when the row already agrees with the token
     */
    public static Optional<UserSync> plan(User user, ProxyRole mappedRole, List<String> tokenTeamIds) {
        if (user == null) {
            return Optional.empty();
        }
        ProxyRole role = mappedRole != null && mappedRole != user.userRole() ? mappedRole : null;
        Set<String> existing = new LinkedHashSet<>(user.teams());
        Set<String> wanted = tokenTeamIds == null ? existing : new LinkedHashSet<>(tokenTeamIds);
        if (role == null && wanted.equals(existing)) {
            return Optional.empty();
        }
        List<String> add = new ArrayList<>();
        for (String team : wanted) {
            if (!existing.contains(team)) {
                add.add(team);
            }
        }
        List<String> remove = new ArrayList<>();
        for (String team : existing) {
            if (!wanted.contains(team)) {
                remove.add(team);
            }
        }
        if (role == null && add.isEmpty() && remove.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UserSync(user.userId(), role, add, remove));
    }
}
