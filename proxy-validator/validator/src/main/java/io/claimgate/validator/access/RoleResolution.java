package io.claimgate.validator.access;

import io.claimgate.model.ProxyRole;
import io.claimgate.validator.claims.TokenClaims;
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

    /** The team the request is made for as far as the token says: the object id for a team role, else its team id. */
    public String teamId(TokenClaims claims) {
        return objectTeamId != null ? objectTeamId : claims.teamId();
    }

    /** The caller's user id: the object id for an internal user, else the token's user id (e-mail fallback). */
    public String userId(TokenClaims claims) {
        return objectUserId != null ? objectUserId : claims.userId();
    }

    /** Whether the role is {@link ProxyRole#PROXY_ADMIN}. */
    public boolean isProxyAdmin() {
        return role == ProxyRole.PROXY_ADMIN;
    }
}
