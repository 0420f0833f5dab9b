package io.claimgate.keycloak;

import java.util.List;
import java.util.Optional;

/**
 * The claims the mapper writes for one user.
 *
 * @param teamId the active team, if any
 * @param teamIds every team id, sorted; empty when {@code teamIdsOverage}
 * @param teamIdsOverage true when the user has more teams than the cap, so the list is left out rather than cut
 * @param roles effective roles, sorted
 * @param orgId the organization, if any
 * @param admin whether the user holds the admin role, the only source of the admin scope
 * @param attributeScopes the values of the scopes attribute on the user, then on each team in id order, unchecked:
 *     {@link ScopeMerger} decides which of them reach {@code scope}
 */
public record ProxyClaims(Optional<String> teamId, List<String> teamIds, boolean teamIdsOverage, List<String> roles,
                          Optional<String> orgId, boolean admin, List<String> attributeScopes) {

    public ProxyClaims {
        teamIds = List.copyOf(teamIds);
        roles = List.copyOf(roles);
        attributeScopes = List.copyOf(attributeScopes);
    }
}
