package io.claimgate.validator.access;

import io.claimgate.model.RoleRules;
import io.claimgate.model.JwtRoleMapping;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.RoleMapping;
import io.claimgate.model.SettingsException;
import io.claimgate.validator.claims.TokenClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * The proxy role a token belongs to: LiteLLM's {@code JWTHandler.get_rbac_role}, in its order.
 *
 * <ol>
 *   <li>the admin scope ({@code admin_jwt_scope}) in {@code scope} or {@code scp}: {@code proxy_admin};</li>
 *   <li>a team id, including {@code team_id_default}: {@code team};</li>
 *   <li>a user id from {@code user_id_jwt_field} (not the e-mail fallback), or a role from
 *       {@code user_roles_jwt_field} listed in {@code user_allowed_roles}: {@code internal_user};</li>
 *   <li>{@code role_mappings}: the first mapping, in configuration order, whose role the token carries;</li>
 *   <li>{@code jwt_litellm_role_map}: the first mapping whose glob matches one of the token's roles (Claimgate's
 *       addition: LiteLLM only uses this map to rewrite the stored user role);</li>
 *   <li>otherwise none.</li>
 * </ol>
 * When a role is found and the token carries {@code object_id_jwt_field}, the object id becomes the team id for
 * {@code team} and the user id for {@code internal_user}, as in LiteLLM's {@code auth_builder}.
 */
public final class RoleResolver {

    private final String adminScope;
    private final Set<String> userAllowedRoles;
    private final List<RoleMapping> roleMappings;
    private final List<Glob> globs;
    private final List<ProxyRole> globRoles;

    /**
     * @throws SettingsException when a {@code jwt_litellm_role_map} glob cannot be compiled (a reversed range such as
     *                           {@code [z-a]})
     */
    public RoleResolver(RoleRules settings) {
        Objects.requireNonNull(settings, "settings");
        adminScope = settings.adminJwtScope();
        userAllowedRoles = settings.userAllowedRoles() == null ? Set.of() : Set.copyOf(settings.userAllowedRoles());
        roleMappings = settings.roleMappings();
        List<Glob> compiled = new ArrayList<>();
        List<ProxyRole> mapped = new ArrayList<>();
        for (JwtRoleMapping mapping : settings.jwtLitellmRoleMap()) {
            try {
                compiled.add(Glob.compile(mapping.jwtRole()));
            } catch (PatternSyntaxException e) {
                throw new SettingsException("jwt_litellm_role_map.jwt_role",
                        "'" + mapping.jwtRole() + "' is not a valid pattern: " + e.getDescription());
            }
            mapped.add(mapping.litellmRole());
        }
        globs = List.copyOf(compiled);
        globRoles = List.copyOf(mapped);
    }

    /** The token's role, or {@code null} when no rule gives one. */
    public RoleResolution resolve(TokenClaims claims) {
        ProxyRole role = role(claims);
        if (role == null) {
            return null;
        }
        String objectId = claims.objectId();
        return new RoleResolution(role, role == ProxyRole.TEAM ? objectId : null,
                role == ProxyRole.INTERNAL_USER ? objectId : null);
    }

    /**
     * The role a caller acts with once its stored row is known: LiteLLM's {@code is_proxy_admin}, which makes a caller
     * whose {@code LiteLLM_UserTable.user_role} is {@code proxy_admin} an admin whatever the token says, and likewise a
     * stored {@code proxy_admin_viewer} a viewer. The stored role only ever adds: a token that is already an admin
     * (or, for a stored viewer, already a viewer) keeps its role, and every other stored role ({@code org_admin},
     * {@code internal_user_viewer}, ...) leaves the token's role as it is, because what LiteLLM lets those roles do
     * beyond a member's routes depends on per-row ownership checks Claimgate does not make.
     *
     * @param tokenRole  the token's role from {@link #resolve}, or {@code null} when it has none
     * @param storedRole the caller's stored {@code user_role}, or {@code null} when no row or no role is stored
     * @return {@code tokenRole} itself, or a {@code proxy_admin} or {@code proxy_admin_viewer} resolution keeping the
     *         token's user object id
     */
    public static RoleResolution withStoredRole(RoleResolution tokenRole, ProxyRole storedRole) {
        if (storedRole != ProxyRole.PROXY_ADMIN && storedRole != ProxyRole.PROXY_ADMIN_VIEWER
                || tokenRole != null && (tokenRole.isProxyAdmin() || tokenRole.role() == storedRole)) {
            return tokenRole;
        }
        return new RoleResolution(storedRole, null, tokenRole == null ? null : tokenRole.objectUserId());
    }

    /**
     * LiteLLM's {@code map_jwt_role_to_litellm_role}: the role {@code jwt_litellm_role_map} alone gives the token, or
     * {@code null}; what {@code sync_user_role_and_teams} writes to the user's row.
     */
    public ProxyRole mappedLitellmRole(TokenClaims claims) {
        return globbedRole(claims.roles());
    }

    private ProxyRole role(TokenClaims claims) {
        if (claims.hasScope(adminScope)) {
            return ProxyRole.PROXY_ADMIN;
        }
        if (claims.teamId() != null) {
            return ProxyRole.TEAM;
        }
        if (claims.userIdClaim() != null || hasAllowedUserRole(claims.userRoles())) {
            return ProxyRole.INTERNAL_USER;
        }
        ProxyRole mapped = mappedRole(claims.roles());
        return mapped != null ? mapped : globbedRole(claims.roles());
    }

    private boolean hasAllowedUserRole(List<String> userRoles) {
        for (String role : userRoles) {
            if (userAllowedRoles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    private ProxyRole mappedRole(List<String> roles) {
        if (roles.isEmpty()) {
            return null;
        }
        for (RoleMapping mapping : roleMappings) {
            if (roles.contains(mapping.role())) {
                return mapping.internalRole();
            }
        }
        return null;
    }

    /** LiteLLM's {@code map_jwt_role_to_litellm_role}: mapping order first, then the token's role order. */
    private ProxyRole globbedRole(List<String> roles) {
        for (int i = 0; i < globs.size(); i++) {
            for (String role : roles) {
                if (globs.get(i).matches(role)) {
                    return globRoles.get(i);
                }
            }
        }
        return null;
    }
}
