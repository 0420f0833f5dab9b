package io.claimgate.model;

import java.util.List;
import java.util.Objects;

/**
 * What an identified caller may do: the access policy stage's settings.
 *
 * @param adminAllowedRoutes          {@code admin_allowed_routes}: routes or route groups a proxy admin may call
 * @param teamAllowedRoutes           {@code team_allowed_routes}: routes or route groups a team token may call
 * @param publicAllowedRoutes         {@code public_allowed_routes}: routes anyone may call without a token
 * @param enforceRbac                 {@code enforce_rbac}: refuse tokens without a role and apply
 *                                    {@code rolePermissions}
 * @param rolePermissions             {@code general_settings.role_permissions}: what each role may call under
 *                                    {@code enforceRbac}
 * @param scopeMappings               {@code scope_mappings}: what each scope allows under
 *                                    {@code enforceScopeBasedAccess}
 * @param enforceScopeBasedAccess     {@code enforce_scope_based_access}: limit models and routes to those the
 *                                    token's scopes map to
 * @param enforceTeamBasedModelAccess {@code enforce_team_based_model_access}: a request for a model must go through
 *                                    a team that has it
 * @param userAllowedEmailDomain      {@code user_allowed_email_domain}: when set, only e-mails in this exact domain
 *                                    are let in
 * @param userIdUpsert                {@code user_id_upsert}: create a user row on first sight
 * @param customValidate              {@code custom_validate}: the name of a custom validator; Claimgate takes a Java
 *                                    class name
 */
public record AccessRules(List<String> adminAllowedRoutes, List<String> teamAllowedRoutes,
                          List<String> publicAllowedRoutes, boolean enforceRbac, List<RolePermission> rolePermissions,
                          List<ScopeMapping> scopeMappings, boolean enforceScopeBasedAccess,
                          boolean enforceTeamBasedModelAccess, String userAllowedEmailDomain, boolean userIdUpsert,
                          String customValidate) {

    public static final List<String> DEFAULT_ADMIN_ALLOWED_ROUTES =
            List.of("management_routes", "spend_tracking_routes", "global_spend_tracking_routes", "info_routes");
    public static final List<String> DEFAULT_TEAM_ALLOWED_ROUTES = List.of("openai_routes",
            "info_routes", "mcp_routes");
    public static final List<String> DEFAULT_PUBLIC_ALLOWED_ROUTES = List.of("public_routes");

    public AccessRules {
        adminAllowedRoutes = SettingChecks.requireList(adminAllowedRoutes, "admin_allowed_routes");
        teamAllowedRoutes = SettingChecks.requireList(teamAllowedRoutes, "team_allowed_routes");
        publicAllowedRoutes = SettingChecks.requireList(publicAllowedRoutes, "public_allowed_routes");
        rolePermissions = List.copyOf(Objects.requireNonNull(rolePermissions, "role_permissions"));
        scopeMappings = List.copyOf(Objects.requireNonNull(scopeMappings, "scope_mappings"));
        SettingChecks.require(!enforceScopeBasedAccess || !scopeMappings.isEmpty(), "enforce_scope_based_access",
                "needs scope_mappings, or every request would be refused");
        SettingChecks.require(userAllowedEmailDomain == null || !userAllowedEmailDomain.contains("@"),
                "user_allowed_email_domain", "is a domain such as example.com, without '@'");
    }

    static AccessRules read(SettingsBlock block) {
        return new AccessRules(block.strings("admin_allowed_routes", DEFAULT_ADMIN_ALLOWED_ROUTES),
                block.strings("team_allowed_routes", DEFAULT_TEAM_ALLOWED_ROUTES),
                block.strings("public_allowed_routes", DEFAULT_PUBLIC_ALLOWED_ROUTES),
                block.bool("enforce_rbac"), List.of(),
                block.entries("scope_mappings", m -> new ScopeMapping(m.requiredString("scope"), m.strings("models"),
                        m.strings("routes"))),
                block.bool("enforce_scope_based_access"), block.bool("enforce_team_based_model_access"),
                block.string("user_allowed_email_domain"), block.bool("user_id_upsert"),
                block.string("custom_validate"));
    }

    /** These rules with {@code general_settings.role_permissions}, which LiteLLM keeps outside the JWT block. */
    public AccessRules withRolePermissions(List<RolePermission> permissions) {
        return new AccessRules(adminAllowedRoutes, teamAllowedRoutes, publicAllowedRoutes, enforceRbac, permissions,
                scopeMappings, enforceScopeBasedAccess, enforceTeamBasedModelAccess, userAllowedEmailDomain,
                userIdUpsert, customValidate);
    }

    /** These rules with RBAC on or off ({@code general_settings.enforce_rbac} when the JWT block leaves it unset). */
    public AccessRules withEnforceRbac(boolean enforce) {
        return new AccessRules(adminAllowedRoutes, teamAllowedRoutes, publicAllowedRoutes, enforce, rolePermissions,
                scopeMappings, enforceScopeBasedAccess, enforceTeamBasedModelAccess, userAllowedEmailDomain,
                userIdUpsert, customValidate);
    }
}
