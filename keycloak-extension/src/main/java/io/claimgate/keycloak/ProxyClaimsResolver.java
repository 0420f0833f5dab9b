package io.claimgate.keycloak;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The whole decision of the mapper, over plain inputs: which claims a user gets under a config. */
public final class ProxyClaimsResolver {

    private ProxyClaimsResolver() {
    }

    /** The claims for this subject under this (valid) config. */
    public static ProxyClaims resolve(ProxyClaimsConfig config, Subject subject) {
        List<TeamGroup> teams = new TeamResolver(config.teamsGroupPath(),
                ProxyClaimsConfigProperties.GROUP_TEAM_ID_ATTRIBUTE).teams(subject.groups());
        Optional<TeamGroup> active = TeamResolver.activeTeam(teams,
                AttributeValues.first(subject.attributes(), config.activeTeamAttribute()));
        boolean overage = teams.size() > config.teamsMax();
        List<String> teamIds = overage ? List.of() : teams.stream().map(TeamGroup::id).toList();

        Optional<String> orgId = switch (config.orgSource()) {
            case ATTRIBUTE -> active.flatMap(team -> team.group().attribute(config.orgAttribute()))
                    .or(() -> AttributeValues.first(subject.attributes(), config.orgAttribute()));
            case ORGANIZATION -> OrganizationResolver.organization(subject.organizations())
                    .map(config.orgValue()::of);
        };

        return new ProxyClaims(active.map(TeamGroup::id), teamIds, overage,
                RoleFilter.roles(subject.defaultRole(), subject.realmRoles(), subject.clientRoles()),
                orgId, isAdmin(config, subject.realmRoles()), attributeScopes(config, subject, teams));
    }

    /**
     * Whether the user holds the admin role among the realm roles Keycloak resolved for this client, so that a client
     * whose role scope leaves the role out never makes its users admins.
     */
    public static boolean isAdmin(ProxyClaimsConfig config, Set<String> realmRoles) {
        return realmRoles.contains(config.adminRole());
    }

    /** The user's own scopes, then each team's, in team id order; {@link ScopeMerger} filters and merges them. */
    private static List<String> attributeScopes(ProxyClaimsConfig config, Subject subject, List<TeamGroup> teams) {
        List<String> scopes = new ArrayList<>();
        scopes.addAll(AttributeValues.all(subject.attributes(), config.scopesAttribute()));
        teams.forEach(team -> scopes.addAll(team.group().attributeValues(config.scopesAttribute())));
        return scopes;
    }
}
