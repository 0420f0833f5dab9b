package io.claimgate.keycloak;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What Keycloak knows about the user the token is for, as plain data.
 *
 * @param defaultRole the name of the realm's default role ({@code default-roles-<realm>}), left out of the roles
 * @param attributes the user's attributes
 * @param groups the groups the user is a direct member of
 * @param realmRoles the effective realm roles as Keycloak resolved them for this client
 * @param clientRoles the effective roles of the configured roles client; empty when none is configured
 * @param organizations the user's Keycloak organizations; {@link OrganizationContext#NONE} unless
 *     {@code org.source=organization}
 */
public record Subject(String defaultRole, Map<String, List<String>> attributes, List<GroupMembership> groups,
                      Set<String> realmRoles, Set<String> clientRoles, OrganizationContext organizations) {

    public Subject {
        Objects.requireNonNull(defaultRole, "defaultRole");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        groups = List.copyOf(groups);
        realmRoles = Set.copyOf(realmRoles);
        clientRoles = Set.copyOf(clientRoles);
        Objects.requireNonNull(organizations, "organizations");
    }

    /** A subject without Keycloak organizations. */
    public Subject(String defaultRole, Map<String, List<String>> attributes, List<GroupMembership> groups,
                   Set<String> realmRoles, Set<String> clientRoles) {
        this(defaultRole, attributes, groups, realmRoles, clientRoles, OrganizationContext.NONE);
    }
}
