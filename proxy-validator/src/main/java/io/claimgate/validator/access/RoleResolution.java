package io.claimgate.validator.access;

import io.claimgate.model.ProxyRole;
import java.util.Objects;

/**
 * The role a token resolves to, and the id its {@code object_id_jwt_field} supplies for that role.
 *
 * @param role         the resolved role, never {@code null}
 * @param objectTeamId the object id when the role is {@link ProxyRole#TEAM}: it replaces the token's team id
 * @param objectUserId the object id when the role is {@link ProxyRole#INTERNAL_USER}: it replaces the user id
 */
public record RoleResolution(ProxyRole role, String objectTeamId, String objectUserId) {

    public RoleResolution {
        Objects.requireNonNull(role, "role");
    }

    /** A role with no object id. */
    public static RoleResolution of(ProxyRole role) {
        return new RoleResolution(role, null, null);
    }

    /** Whether the role is {@link ProxyRole#PROXY_ADMIN}. */
    public boolean isProxyAdmin() {
        return role == ProxyRole.PROXY_ADMIN;
    }
}
