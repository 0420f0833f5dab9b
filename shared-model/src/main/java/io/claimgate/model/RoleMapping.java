package io.claimgate.model;

import java.util.Objects;

/**
 * One entry of {@code litellm_jwtauth.role_mappings}: a role found in {@code roles_jwt_field} that maps to a proxy role.
 *
 * @param role         the role as the token carries it (exact match)
 * @param internalRole the proxy role it grants
 */
public record RoleMapping(String role, ProxyRole internalRole) {

    public RoleMapping {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(internalRole, "internal_role");
    }
}
