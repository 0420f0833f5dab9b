package io.claimgate.keycloak;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns Keycloak's effective roles into the roles claim: without the roles every user of every realm holds
 * ({@code offline_access}, {@code uma_authorization} and the realm's default role, {@code default-roles-<realm>}),
 * which say nothing to the gateway and only grow the token.
 */
public final class RoleFilter {

    private static final List<String> BUILT_IN = List.of("offline_access", "uma_authorization");
    private RoleFilter() {
    }

    /**
     * The realm roles (built-ins removed) and the client roles, sorted, without duplicates.
     *
     * @param defaultRole the name of the realm's default role: {@code default-roles-<realm>} when the realm was
     *     created, and it keeps that name when the realm is renamed
     */
    public static List<String> roles(String defaultRole, Collection<String> realmRoles,
                                     Collection<String> clientRoles) {
        TreeSet<String> roles = new TreeSet<>();
        realmRoles.stream()
                .filter(role -> !BUILT_IN.contains(role) && !role.equals(defaultRole))
                .forEach(roles::add);
        roles.addAll(clientRoles);
        return List.copyOf(roles);
    }
}
