package io.claimgate.validator.access;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.RolePermission;
import io.claimgate.model.ScopeMapping;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.ErrorType;
import io.claimgate.validator.claims.TokenClaims;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Whether a verified token may call a route with a model: the checks LiteLLM's {@code JWTAuthManager.auth_builder}
 * makes before it loads any object, in its order. Pure, thread-safe, built once from the settings.
 *
 * <ol>
 *   <li>public routes ({@code public_allowed_routes}) pass without further checks;</li>
 *   <li>{@code custom_validate}: false or an exception gives 403 {@code Invalid JWT token};</li>
 *   <li>{@code enforce_rbac}: no role gives 403; then {@code role_permissions} (first entry for the role) limits
 *       models and routes;</li>
 *   <li>{@code enforce_scope_based_access}: the token's {@code scope_mappings} must allow the model; once any
 *       mapping names routes, one of the token's mappings must also allow the route (a mapping without routes allows
 *       every route);</li>
 *   <li>a proxy admin may call {@code admin_allowed_routes} only, and is then done;</li>
 *   <li>a team may call {@code team_allowed_routes}; every other caller the LLM API and info routes;</li>
 *   <li>{@code user_allowed_email_domain}: the e-mail's domain must match exactly.</li>
 * </ol>
 * Every refusal is an {@link AuthException} with LiteLLM's message; statuses are Claimgate's (403 for a known caller
 * who is not allowed), see {@code docs/access-control.md}.
 */
public final class AccessPolicy {

    private static final RouteMatcher MEMBER_ROUTES =
            RouteMatcher.of(List.of(RouteGroups.LLM_API_ROUTES, RouteGroups.INFO_ROUTES));

    private final RouteMatcher publicRoutes;
    private final RouteMatcher adminRoutes;
    private final RouteMatcher teamRoutes;
    private final CustomValidator customValidator;
    private final boolean enforceRbac;
    private final Map<ProxyRole, Permission> permissions;
    private final List<ScopeRule> scopeRules;
    private final boolean scopesLimitRoutes;
    private final String allowedEmailDomain;

    /** A policy without a custom validator. */
    public AccessPolicy(JwtAuthSettings settings) {
        this(settings, null);
    }

    /**
     * @param settings        the JWT auth settings
     * @param customValidator the operator's extra check, or {@code null} for none
     */
    public AccessPolicy(JwtAuthSettings settings, CustomValidator customValidator) {
        Objects.requireNonNull(settings, "settings");
        this.customValidator = customValidator;
        publicRoutes = RouteMatcher.of(settings.publicAllowedRoutes());
        adminRoutes = RouteMatcher.of(settings.adminAllowedRoutes());
        teamRoutes = RouteMatcher.of(settings.teamAllowedRoutes());
        enforceRbac = settings.enforceRbac();
        permissions = new EnumMap<>(ProxyRole.class);
        for (RolePermission permission : settings.rolePermissions()) {
            // LiteLLM's get_role_based_permissions returns the first entry for a role.
            permissions.putIfAbsent(permission.role(), new Permission(permission));
        }
        scopeRules = new ArrayList<>();
        boolean routesNamed = false;
        if (settings.enforceScopeBasedAccess()) {
            for (ScopeMapping mapping : settings.scopeMappings()) {
                scopeRules.add(new ScopeRule(mapping));
                routesNamed |= !mapping.routes().isEmpty();
            }
        }
        scopesLimitRoutes = routesNamed;
        allowedEmailDomain = settings.userAllowedEmailDomain();
    }

    /** Whether the route needs no caller at all. */
    public boolean isPublicRoute(String route) {
        return publicRoutes.matches(route);
    }

    /**
     * Decides a request.
     *
     * @param claims the token's claims as read by {@link io.claimgate.validator.claims.ClaimReader}
     * @param role   the token's role from {@link RoleResolver}, or {@code null} when none
     * @param route  the request path without query string
     * @param model  the requested model, or {@code null}
     * @return how the request is allowed
     * @throws AuthException 403 when it is not
     */
    public AccessGrant authorize(TokenClaims claims, RoleResolution role, String route, String model) {
        Objects.requireNonNull(claims, "claims");
        if (isPublicRoute(route)) {
            return AccessGrant.PUBLIC;
        }
        checkCustomValidator(claims);
        checkRbac(role, route, model);
        checkScopes(claims, route, model);
        ProxyRole proxyRole = role == null ? null : role.role();
        if (proxyRole == ProxyRole.PROXY_ADMIN) {
            if (!adminRoutes.matches(route)) {
                throw AuthException.forbidden("admin_route_not_allowed", "Admin not allowed to access this route. Route="
                        + route + ", Allowed Routes=" + Messages.list(adminRoutes.actualRoutes()));
            }
            return AccessGrant.PROXY_ADMIN;
        }
        if (proxyRole == ProxyRole.TEAM) {
            if (!teamRoutes.matches(route)) {
                throw AuthException.forbidden("team_route_not_allowed", "Team not allowed to access this route. Route="
                        + route + ", Allowed Routes=" + Messages.list(teamRoutes.actualRoutes()));
            }
        } else if (!MEMBER_ROUTES.matches(route)) {
            throw AuthException.forbidden("route_not_allowed",
                    "Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route="
                            + route + ". Your role=" + (proxyRole == null ? "unknown" : proxyRole.wireValue()));
        }
        checkEmailDomain(claims.email());
        return AccessGrant.MEMBER;
    }

    /**
     * LiteLLM's {@code validate_object_id}: with {@code enforce_rbac}, a non-admin request must end up attributed to a
     * user or a team, or spend could not be tracked.
     *
     * @throws AuthException 403 when neither id is known
     */
    public void requireUserOrTeam(String userId, String teamId) {
        if (enforceRbac && userId == null && teamId == null) {
            throw AuthException.forbidden("no_user_or_team", "No user or team id found in token. enforce_rbac is set "
                    + "to True. Token must belong to a proxy admin, team, or user.");
        }
    }

    private void checkCustomValidator(TokenClaims claims) {
        if (customValidator == null) {
            return;
        }
        boolean valid;
        try {
            valid = customValidator.isValid(claims.claims());
        } catch (RuntimeException e) {
            throw new AuthException(403, ErrorType.AUTH_ERROR, "custom_validation_failed", "Invalid JWT token", null,
                    e);
        }
        if (!valid) {
            throw AuthException.forbidden("custom_validation_failed", "Invalid JWT token");
        }
    }

    private void checkRbac(RoleResolution role, String route, String model) {
        if (!enforceRbac) {
            return;
        }
        if (role == null) {
            throw AuthException.forbidden("rbac_role_unmatched", "Unmatched token passed in. enforce_rbac is set to "
                    + "True. Token must belong to a proxy admin, team, or user.");
        }
        Permission permission = permissions.get(role.role());
        if (permission == null) {
            return;
        }
        String wire = role.role().wireValue();
        if (permission.models != null && model != null && !permission.models.contains(model)) {
            throw new AuthException(403, ErrorType.AUTH_ERROR, "rbac_model_not_allowed", "Role=" + wire
                    + " not allowed to call model=" + model + ". Allowed models="
                    + Messages.list(permission.models), "model", null);
        }
        if (permission.routes != null && !permission.routes.matches(route)) {
            throw AuthException.forbidden("rbac_route_not_allowed", "Role=" + wire + " not allowed to call route="
                    + route + ". Allowed routes=" + Messages.list(permission.routes.entries()));
        }
    }

    private void checkScopes(TokenClaims claims, String route, String model) {
        if (scopeRules.isEmpty()) {
            return;
        }
        boolean modelAllowed = model == null;
        boolean routeAllowed = !scopesLimitRoutes;
        for (ScopeRule rule : scopeRules) {
            if (claims.hasScope(rule.scope)) {
                modelAllowed |= rule.models.allows(model);
                // A mapping without routes limits models only, as every mapping does in LiteLLM.
                routeAllowed |= rule.routes.entries().isEmpty() || rule.routes.matches(route);
            }
        }
        if (!modelAllowed) {
            throw new AuthException(403, ErrorType.AUTH_ERROR, "scope_model_not_allowed", "model=" + model
                    + " not allowed. Allowed_models=" + Messages.list(scopeValues(claims, true)), "model", null);
        }
        if (!routeAllowed) {
            throw AuthException.forbidden("scope_route_not_allowed", "route=" + route + " not allowed. Allowed_routes="
                    + Messages.list(scopeValues(claims, false)));
        }
    }

    /** The union of the token's mapped models or routes, for the refusal message. */
    private List<String> scopeValues(TokenClaims claims, boolean models) {
        Set<String> out = new LinkedHashSet<>();
        for (ScopeRule rule : scopeRules) {
            if (claims.hasScope(rule.scope)) {
                out.addAll(models ? rule.models.models() : rule.routes.entries());
            }
        }
        return new ArrayList<>(out);
    }

    private void checkEmailDomain(String email) {
        if (allowedEmailDomain == null) {
            return;
        }
        String domain = email == null ? null : email.substring(email.lastIndexOf('@') + 1);
        if (!allowedEmailDomain.equals(domain)) {
            throw new AuthException(403, ErrorType.AUTH_ERROR, "email_domain_not_allowed",
                    "Email domain not allowed. User email: " + (email == null ? "None" : email) + ". Allowed domain: "
                            + allowedEmailDomain, "user_email", null);
        }
    }

    /** One {@code role_permissions} entry, compiled. {@code null} means no restriction. */
    private static final class Permission {
        final List<String> models;
        final RouteMatcher routes;

        Permission(RolePermission permission) {
            models = permission.models();
            routes = permission.routes() == null ? null : RouteMatcher.of(permission.routes());
        }
    }

    /** One {@code scope_mappings} entry, compiled. */
    private static final class ScopeRule {
        final String scope;
        final ModelAccess models;
        final RouteMatcher routes;

        ScopeRule(ScopeMapping mapping) {
            scope = mapping.scope();
            models = ModelAccess.listed(mapping.models());
            routes = RouteMatcher.of(mapping.routes());
        }
    }
}
