package io.claimgate.validator.access;

import io.claimgate.model.AccessRules;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.RolePermission;
import io.claimgate.model.ScopeMapping;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.Blocking;
import io.claimgate.validator.ErrorType;
import io.claimgate.validator.claims.TokenClaims;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Whether a verified token may call a route: every check of LiteLLM's {@code auth_builder} that the route alone
 * decides, in its order, so that it runs before a request body is read. Pure, thread-safe, built once.
 *
 * <ol>
 *   <li>public routes ({@code public_allowed_routes}) pass without further checks;</li>
 *   <li>{@code custom_validate}: false or an exception gives 403 {@code Invalid JWT token};</li>
 *   <li>{@code enforce_rbac}: no role gives 403; then the routes of {@code role_permissions} (first entry for the
 *       role);</li>
 *   <li>{@code enforce_scope_based_access}: once any mapping names routes, one of the token's mappings must allow the
 *       route (a mapping without routes allows every route);</li>
 *   <li>a proxy admin may call {@code admin_allowed_routes} only;</li>
 *   <li>a {@code proxy_admin_viewer} may read what an admin may ({@link #viewerMayRead}), else the LLM API and info
 *       routes as a member; every other route (every write) is refused;</li>
 *   <li>a team may call {@code team_allowed_routes}; every other caller the LLM API and info routes;</li>
 *   <li>{@code user_allowed_email_domain}: the verified e-mail's domain must match exactly.</li>
 * </ol>
 * The models come after the body, in {@link ModelPolicy}.
 */
public final class RoutePolicy {

    private static final RouteMatcher MEMBER_ROUTES =
            RouteMatcher.of(List.of(RouteGroups.LLM_API_ROUTES, RouteGroups.INFO_ROUTES));
    private static final RouteMatcher LLM_ROUTES = RouteMatcher.of(List.of(RouteGroups.LLM_API_ROUTES));

    private final RouteMatcher publicRoutes;
    private final RouteMatcher adminRoutes;
    private final RouteMatcher teamRoutes;
    private final CustomValidator customValidator;
    private final boolean enforceRbac;
    private final Map<ProxyRole, RouteMatcher> roleRoutes;
    private final List<ScopeRoutes> scopeRoutes;
    private final String allowedEmailDomain;

    /**
     * @param settings        the access rules
     * @param customValidator the operator's extra check, or {@code null} for none
     */
    public RoutePolicy(AccessRules settings, CustomValidator customValidator) {
        Objects.requireNonNull(settings, "settings");
        this.customValidator = customValidator;
        publicRoutes = RouteMatcher.of(settings.publicAllowedRoutes());
        adminRoutes = RouteMatcher.of(settings.adminAllowedRoutes());
        teamRoutes = RouteMatcher.of(settings.teamAllowedRoutes());
        enforceRbac = settings.enforceRbac();
        Map<ProxyRole, RouteMatcher> byRole = new EnumMap<>(ProxyRole.class);
        Set<ProxyRole> seen = EnumSet.noneOf(ProxyRole.class);
        for (RolePermission permission : settings.rolePermissions()) {
            // LiteLLM's get_role_based_permissions returns the first entry for a role.
            if (seen.add(permission.role()) && permission.routes() != null) {
                byRole.put(permission.role(), RouteMatcher.of(permission.routes()));
            }
        }
        roleRoutes = byRole;
        List<ScopeRoutes> rules = new ArrayList<>();
        if (settings.enforceScopeBasedAccess()
                && settings.scopeMappings().stream().anyMatch(mapping -> !mapping.routes().isEmpty())) {
            for (ScopeMapping mapping : settings.scopeMappings()) {
                rules.add(new ScopeRoutes(mapping.scope(), RouteMatcher.of(mapping.routes())));
            }
        }
        scopeRoutes = List.copyOf(rules);
        allowedEmailDomain = settings.userAllowedEmailDomain();
    }

    /** Whether the route needs no caller at all. */
    public boolean isPublicRoute(String route) {
        return publicRoutes.matches(route);
    }

    /** Whether {@code team_allowed_routes} covers the route. */
    boolean teamMayCall(String route) {
        return teamRoutes.matches(route);
    }

    /**
     * Decides the route.
     *
     * @param claims the token's claims as read by {@link io.claimgate.validator.claims.ClaimReader}
     * @param role   the token's role from {@link RoleResolver}, or {@code null} when none
     * @param route  the request path without query string
     * @return how the route is allowed
     * @throws AuthException 403 when it is not
     */
    public AccessGrant authorize(TokenClaims claims, RoleResolution role, String route) {
        Objects.requireNonNull(claims, "claims");
        if (isPublicRoute(route)) {
            return AccessGrant.PUBLIC;
        }
        checkCustomValidator(claims);
        checkRbac(role, route);
        checkScopes(claims, route);
        ProxyRole proxyRole = role == null ? null : role.role();
        if (proxyRole == ProxyRole.PROXY_ADMIN) {
            if (!adminRoutes.matches(route)) {
                throw AuthException.forbidden("admin_route_not_allowed", "Admin not allowed to access this route. Route="
                        + route + ", Allowed Routes=" + Messages.list(adminRoutes.actualRoutes()));
            }
            return AccessGrant.PROXY_ADMIN;
        }
        if (proxyRole == ProxyRole.PROXY_ADMIN_VIEWER) {
            if (viewerMayRead(route)) {
                checkEmailDomain(claims);
                return AccessGrant.VIEWER;
            }
            // A read a viewer may not make as a viewer is not made as a member either: a viewer's read result
            // always means the read rule allowed it, so the gateway can trust the role without the route rules.
            if (!MEMBER_ROUTES.matches(route) || ReadRoutes.isRead(route) && !LLM_ROUTES.matches(route)) {
                throw viewerRefused(route);
            }
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
        checkEmailDomain(claims);
        return AccessGrant.MEMBER;
    }

    /** Whether {@code admin_allowed_routes} covers the route. */
    boolean adminMayCall(String route) {
        return adminRoutes.matches(route);
    }

    /**
     * Decides the route for a caller whose stored {@code user_role} makes it an admin while its token does not
     * ({@link RoleResolver#withStoredRole}). The checks LiteLLM makes before it reads the user row run for the token's
     * own role ({@code custom_validate}, {@code enforce_rbac} with the token's role, scopes, the e-mail domain); the
     * route must then be one of {@code admin_allowed_routes}, as for every admin.
     *
     * @param tokenRole the token's own role, or {@code null}
     * @param adminRole the stored admin role
     * @return {@link AccessGrant#PROXY_ADMIN}
     * @throws AuthException 403 when any check refuses
     */
    public AccessGrant authorizeStoredAdmin(TokenClaims claims, RoleResolution tokenRole, RoleResolution adminRole,
                                            String route) {
        Objects.requireNonNull(claims, "claims");
        if (adminRole == null || !adminRole.isProxyAdmin()) {
            throw new IllegalArgumentException("adminRole must be a proxy admin role");
        }
        checkCustomValidator(claims);
        checkRbac(tokenRole, route);
        checkScopes(claims, route);
        if (!adminRoutes.matches(route)) {
            throw AuthException.forbidden("admin_route_not_allowed", "Admin not allowed to access this route. Route="
                    + route + ", Allowed Routes=" + Messages.list(adminRoutes.actualRoutes()));
        }
        checkEmailDomain(claims);
        return AccessGrant.PROXY_ADMIN;
    }

    /**
     * Whether a {@code proxy_admin_viewer} may read the route: LiteLLM's read parity with the proxy admin, so only a
     * read ({@link ReadRoutes}) an admin may call ({@code admin_allowed_routes}), never an LLM API route (LiteLLM's
     * viewer check refuses those: they cost money), never a public one (it needs no role).
     */
    boolean viewerMayRead(String route) {
        return ReadRoutes.isRead(route) && adminRoutes.matches(route) && !LLM_ROUTES.matches(route)
                && !publicRoutes.matches(route);
    }

    /**
     * Decides the route for a caller whose stored {@code user_role} is {@code proxy_admin_viewer} while its token's
     * role gives less ({@link RoleResolver#withStoredRole}): the token's own checks as for a stored admin
     * ({@link #authorizeStoredAdmin}), then the route must be one a viewer may read.
     *
     * @param tokenRole  the token's own role, or {@code null}
     * @param viewerRole the stored viewer role
     * @return {@link AccessGrant#VIEWER}
     * @throws AuthException 403 when any check refuses
     */
    public AccessGrant authorizeStoredViewer(TokenClaims claims, RoleResolution tokenRole, RoleResolution viewerRole,
                                             String route) {
        Objects.requireNonNull(claims, "claims");
        if (viewerRole == null || viewerRole.role() != ProxyRole.PROXY_ADMIN_VIEWER) {
            throw new IllegalArgumentException("viewerRole must be a proxy_admin_viewer role");
        }
        checkCustomValidator(claims);
        checkRbac(tokenRole, route);
        checkScopes(claims, route);
        if (!viewerMayRead(route)) {
            throw viewerRefused(route);
        }
        checkEmailDomain(claims);
        return AccessGrant.VIEWER;
    }

    /** LiteLLM's {@code _check_proxy_admin_viewer_access} message. */
    private static AuthException viewerRefused(String route) {
        return AuthException.forbidden("viewer_route_not_allowed", "user not allowed to access this route, role= "
                + ProxyRole.PROXY_ADMIN_VIEWER.wireValue() + ". Trying to access: " + route);
    }

    private void checkCustomValidator(TokenClaims claims) {
        if (customValidator == null) {
            return;
        }
        boolean valid;
        try {
            valid = customValidator.isValid(claims.claims());
        } catch (Blocking.WouldBlockException e) {
            // The validator would wait for I/O on a thread that may not: the caller runs it again where it may.
            throw e;
        } catch (RuntimeException e) {
            throw AuthException.forbidden(ErrorType.AUTH_ERROR, "custom_validation_failed", "Invalid JWT token", null,
                    e);
        }
        if (!valid) {
            throw AuthException.forbidden("custom_validation_failed", "Invalid JWT token");
        }
    }

    private void checkRbac(RoleResolution role, String route) {
        if (!enforceRbac) {
            return;
        }
        if (role == null) {
            throw AuthException.forbidden("rbac_role_unmatched", "Unmatched token passed in. enforce_rbac is set to "
                    + "True. Token must belong to a proxy admin, team, or user.");
        }
        RouteMatcher routes = roleRoutes.get(role.role());
        if (routes != null && !routes.matches(route)) {
            throw AuthException.forbidden("rbac_route_not_allowed", "Role=" + role.role().wireValue()
                    + " not allowed to call route=" + route + ". Allowed routes=" + Messages.list(routes.entries()));
        }
    }

    private void checkScopes(TokenClaims claims, String route) {
        if (scopeRoutes.isEmpty()) {
            return;
        }
        for (ScopeRoutes rule : scopeRoutes) {
            // A mapping without routes limits models only, as every mapping does in LiteLLM.
            if (claims.hasScope(rule.scope) && (rule.routes.entries().isEmpty() || rule.routes.matches(route))) {
                return;
            }
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (ScopeRoutes rule : scopeRoutes) {
            if (claims.hasScope(rule.scope)) {
                allowed.addAll(rule.routes.entries());
            }
        }
        throw AuthException.forbidden("scope_route_not_allowed", "route=" + route + " not allowed. Allowed_routes="
                + Messages.list(new ArrayList<>(allowed)));
    }

    /** Only an e-mail the identity provider verified vouches for a domain (or any, with trust_unverified_email). */
    private void checkEmailDomain(TokenClaims claims) {
        if (allowedEmailDomain == null) {
            return;
        }
        String email = claims.email();
        if (email != null && !claims.emailTrusted()) {
            throw AuthException.forbidden(ErrorType.AUTH_ERROR, "email_not_verified", "Email domain not allowed. "
                    + "User email: " + email + " is not verified (email_verified is not true). Allowed domain: "
                    + allowedEmailDomain, "user_email", null);
        }
        String domain = email == null ? null : email.substring(email.lastIndexOf('@') + 1);
        if (!allowedEmailDomain.equals(domain)) {
            throw AuthException.forbidden(ErrorType.AUTH_ERROR, "email_domain_not_allowed",
                    "Email domain not allowed. User email: " + (email == null ? "None" : email) + ". Allowed domain: "
                            + allowedEmailDomain, "user_email", null);
        }
    }

    /** The routes one {@code scope_mappings} entry allows. */
    private record ScopeRoutes(String scope, RouteMatcher routes) {
    }
}
