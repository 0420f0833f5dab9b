package io.claimgate.model;

import java.util.Objects;

/**
 * One entry of {@code litellm_jwtauth.jwt_litellm_role_map}: a glob over the token's roles that grants a proxy role.
 *
 * @param jwtRole     a glob pattern ({@code *} any run of characters, {@code ?} one character)
 * @param litellmRole the proxy role it grants
 */
public record JwtRoleMapping(String jwtRole, ProxyRole litellmRole) {

    public JwtRoleMapping {
        Objects.requireNonNull(jwtRole, "jwt_role");
        Objects.requireNonNull(litellmRole, "litellm_role");
    }
}
