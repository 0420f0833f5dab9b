package io.claimgate.keycloak;

import java.util.List;
import java.util.Optional;

/**
 * What Keycloak knows about the user's organizations for this token, as plain data.
 *
 * @param memberships the enabled organizations the user is a member of
 * @param signedInId the id of the organization the user signed in through (Keycloak's {@code kc.org} client session
 *     note), if any
 * @param grantedScopes the token's scopes, where a requested {@code organization:<alias>} shows
 */
public record OrganizationContext(List<OrganizationMembership> memberships, Optional<String> signedInId,
                                  List<String> grantedScopes) {

    /** No organizations: the realm has them disabled, or the mapper does not read them. */
    public static final OrganizationContext NONE = new OrganizationContext(List.of(), Optional.empty(), List.of());

    public OrganizationContext {
        memberships = List.copyOf(memberships);
        grantedScopes = List.copyOf(grantedScopes);
    }
}
