package io.claimgate.model;

import java.util.List;
import java.util.Objects;

/**
 * How a token's scopes and roles become a proxy role: the role resolution stage's settings.
 *
 * @param adminJwtScope     {@code admin_jwt_scope}: the scope that makes a caller a proxy admin
 * @param roleMappings      {@code role_mappings}: exact token role to proxy role, first match wins
 * @param jwtLitellmRoleMap {@code jwt_litellm_role_map}: glob over token roles to proxy role, first match wins
 * @param userAllowedRoles  {@code user_allowed_roles}: token roles that make a caller an internal user; {@code null}
 *                          when unset
 * @param syncUserRoleAndTeams {@code sync_user_role_and_teams}: write the role {@code jwt_litellm_role_map} gives and
 *                          the token's {@code team_ids} into the user's row and the teams' members on each request
 */
public record RoleRules(String adminJwtScope, List<RoleMapping> roleMappings, List<JwtRoleMapping> jwtLitellmRoleMap,
                        List<String> userAllowedRoles, boolean syncUserRoleAndTeams) {

    /** Rules without {@code sync_user_role_and_teams}. */
    public RoleRules(String adminJwtScope, List<RoleMapping> roleMappings, List<JwtRoleMapping> jwtLitellmRoleMap,
                     List<String> userAllowedRoles) {
        this(adminJwtScope, roleMappings, jwtLitellmRoleMap, userAllowedRoles, false);
    }

    public RoleRules {
        SettingChecks.require(adminJwtScope != null && !adminJwtScope.isBlank(), "admin_jwt_scope",
                "must not be empty");
        roleMappings = List.copyOf(Objects.requireNonNull(roleMappings, "role_mappings"));
        jwtLitellmRoleMap = List.copyOf(Objects.requireNonNull(jwtLitellmRoleMap, "jwt_litellm_role_map"));
        userAllowedRoles = userAllowedRoles == null ? null : List.copyOf(userAllowedRoles);
    }

    static RoleRules read(SettingsBlock block) {
        return new RoleRules(block.string("admin_jwt_scope", ClaimNames.DEFAULT_ADMIN_SCOPE),
                block.entries("role_mappings", m -> new RoleMapping(m.requiredString("role"),
                        m.role("internal_role"))),
                block.entries("jwt_litellm_role_map", m -> new JwtRoleMapping(m.requiredString("jwt_role"),
                        m.role("litellm_role"))),
                block.strings("user_allowed_roles", null), block.bool("sync_user_role_and_teams"));
    }

    /** Whether any rule maps a token role to a proxy role (which {@code object_id_jwt_field} needs). */
    public boolean mapsRoles() {
        return !roleMappings.isEmpty() || !jwtLitellmRoleMap.isEmpty();
    }
}
