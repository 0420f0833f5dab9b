package io.claimgate.keycloak;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns Keycloak's effective roles into the roles claim: without the roles every user of every realm holds
 * ({@code offline_access}, {@code uma_authorization}, {@code default-roles-<realm>}), which say nothing to the
 * gateway and only grow the token.
 */
public final class RoleFilter {

    private static final List<String> BUILT_IN = List.of("offline_access", "uma_authorization");
    private static final String DEFAULT_ROLES_PREFIX = "default-roles-";

    private RoleFilter() {
    }

    /** The realm roles (built-ins removed) and the client roles, sorted, without duplicates. */
    public static List<String> roles(String realmName, Collection<String> realmRoles, Collection<String> clientRoles) {
        String defaultRoles = DEFAULT_ROLES_PREFIX + realmName.toLowerCase(java.util.Locale.ROOT);
        TreeSet<String> roles = new TreeSet<>();
        realmRoles.stream()
                .filter(role -> !BUILT_IN.contains(role) && !role.equals(defaultRoles))
                .forEach(roles::add);
        roles.addAll(clientRoles);
        return List.copyOf(roles);
    }
}
