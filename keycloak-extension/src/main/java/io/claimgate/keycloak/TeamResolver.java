package io.claimgate.keycloak;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which of a user's groups are teams, what their ids are, and which one is active.
 *
 * <p>A group is a team when its path is the teams path or lies below it, at any depth, so nested groups such as
 * {@code /teams/research/nlp} count. Only groups the user is a direct member of are considered: being in a subgroup
 * does not make the user a member of the parent team. A team's id is the group's {@code team_id} attribute when set,
 * otherwise its name; two groups with the same id are one team.
 */
public final class TeamResolver {

    private final String teamsPath;
    private final String groupTeamIdAttribute;

    /**
     * @param teamsPath the normalized teams path, starting with {@code /}, no trailing slash unless it is {@code /}
     * @param groupTeamIdAttribute the group attribute that overrides a team's id
     */
    public TeamResolver(String teamsPath, String groupTeamIdAttribute) {
        this.teamsPath = teamsPath;
        this.groupTeamIdAttribute = groupTeamIdAttribute;
    }

    /** The user's teams, sorted by id, one per id (the group with the smallest path wins a tie). */
    public List<TeamGroup> teams(Collection<GroupMembership> groups) {
        Map<String, TeamGroup> byId = new LinkedHashMap<>();
        groups.stream()
                .filter(this::isTeam)
                .sorted(Comparator.comparing(GroupMembership::path))
                .forEach(group -> {
                    String id = group.attribute(groupTeamIdAttribute).orElse(group.name());
                    byId.putIfAbsent(id, new TeamGroup(id, group));
                });
        List<TeamGroup> teams = new ArrayList<>(byId.values());
        teams.sort(Comparator.comparing(TeamGroup::id));
        return teams;
    }

    /**
     * The active team: the requested one when it is one of the user's teams; otherwise the only team of a user with
     * exactly one; otherwise none, because guessing among several teams would bill the wrong one.
     */
    public static Optional<TeamGroup> activeTeam(List<TeamGroup> teams, Optional<String> requestedId) {
        if (requestedId.isPresent()) {
            Optional<TeamGroup> requested = teams.stream().filter(t -> t.id().equals(requestedId.get())).findFirst();
            if (requested.isPresent()) {
                return requested;
            }
        }
        return teams.size() == 1 ? Optional.of(teams.get(0)) : Optional.empty();
    }

    private boolean isTeam(GroupMembership group) {
        String path = group.path();
        if ("/".equals(teamsPath)) {
            return true;
        }
        return path.equals(teamsPath) || path.startsWith(teamsPath + "/");
    }
}
