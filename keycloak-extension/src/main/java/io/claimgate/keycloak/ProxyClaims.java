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
 * @param addedScopes scopes to append to the token's {@code scope}, in order
 */
public record ProxyClaims(Optional<String> teamId, List<String> teamIds, boolean teamIdsOverage, List<String> roles,
                          Optional<String> orgId, List<String> addedScopes) {

    public ProxyClaims {
        teamIds = List.copyOf(teamIds);
        roles = List.copyOf(roles);
        addedScopes = List.copyOf(addedScopes);
    }
}
