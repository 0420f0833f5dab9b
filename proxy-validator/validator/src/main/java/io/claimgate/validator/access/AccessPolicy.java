package io.claimgate.validator.access;

import io.claimgate.model.AccessRules;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.claims.TokenClaims;
import java.util.Objects;

/**
 * Whether a verified token may call a route with a model: the checks LiteLLM's {@code JWTAuthManager.auth_builder}
 * makes before it loads any object, in two stages so that neither runs twice: {@link RoutePolicy} before the request
 * body is read, {@link ModelPolicy} for each model the body names. Pure, thread-safe, built once from the settings.
 *
 * <p>Every refusal is an {@link AuthException} with LiteLLM's message; statuses are Claimgate's (403 for a known caller
 * who is not allowed), see {@code docs/access-control.md}.
 */
public final class AccessPolicy {

    private final RoutePolicy routes;
    private final ModelPolicy models;
    private final boolean enforceRbac;
    private final boolean enforceTeamBasedModelAccess;

    /** A policy without a custom validator. */
    public AccessPolicy(AccessRules settings) {
        this(settings, null);
    }

    /**
     * @param settings        the access rules
     * @param customValidator the operator's extra check, or {@code null} for none
     */
    public AccessPolicy(AccessRules settings, CustomValidator customValidator) {
        Objects.requireNonNull(settings, "settings");
        routes = new RoutePolicy(settings, customValidator);
        models = new ModelPolicy(settings);
        enforceRbac = settings.enforceRbac();
        enforceTeamBasedModelAccess = settings.enforceTeamBasedModelAccess();
    }

    /** Whether a team may call the route ({@code team_allowed_routes}); the one matcher both stages use. */
    public boolean teamMayCall(String route) {
        return routes.teamMayCall(route);
    }

    /** {@code enforce_team_based_model_access}: a request must go through one of the token's teams. */
    public boolean enforcesTeamBasedModelAccess() {
        return enforceTeamBasedModelAccess;
    }

    /** Whether the route needs no caller at all. */
    public boolean isPublicRoute(String route) {
        return routes.isPublicRoute(route);
    }

    /**
     * The first stage: the route, with everything that does not depend on a model.
     *
     * @throws AuthException 403 when the route is not allowed
     */
    public AccessGrant authorizeRoute(TokenClaims claims, RoleResolution role, String route) {
        return routes.authorize(claims, role, route);
    }

    /** Whether {@code admin_allowed_routes} covers the route: only there can a stored admin role matter. */
    public boolean adminMayCall(String route) {
        return !routes.isPublicRoute(route) && routes.adminMayCall(route);
    }

    /**
     * The first stage for a caller that is an admin by its stored {@code user_role}; see
     * {@link RoutePolicy#authorizeStoredAdmin}.
     *
     * @throws AuthException 403 when the route is not allowed
     */
    public AccessGrant authorizeStoredAdmin(TokenClaims claims, RoleResolution tokenRole, RoleResolution adminRole,
                                            String route) {
        return routes.authorizeStoredAdmin(claims, tokenRole, adminRole, route);
    }

    /**
     * The first stage for a caller that is a {@code proxy_admin_viewer} by its stored {@code user_role}; see
     * {@link RoutePolicy#authorizeStoredViewer}.
     *
     * @throws AuthException 403 when the route is not allowed
     */
    public AccessGrant authorizeStoredViewer(TokenClaims claims, RoleResolution tokenRole, RoleResolution viewerRole,
                                             String route) {
        return routes.authorizeStoredViewer(claims, tokenRole, viewerRole, route);
    }

    /**
     * The second stage, once per model the request may use.
     *
     * @throws AuthException 403 when the model is not allowed
     */
    public void authorizeModel(TokenClaims claims, RoleResolution role, String model) {
        models.authorize(claims, role, model);
    }

    /**
     * Whether the second stage could refuse a model to this role; a proxy admin on an admin route is decided before
     * the body only when it could not.
     */
    public boolean limitsModels(RoleResolution role) {
        return models.limitsModels(role);
    }

    /**
     * Both stages at once, for a request whose model is known up front.
     *
     * @param claims the token's claims as read by {@link io.claimgate.validator.claims.ClaimReader}
     * @param role   the token's role from {@link RoleResolver}, or {@code null} when none
     * @param route  the request path without query string
     * @param model  the requested model, or {@code null}
     * @return how the request is allowed
     * @throws AuthException 403 when it is not
     */
    public AccessGrant authorize(TokenClaims claims, RoleResolution role, String route, String model) {
        AccessGrant grant = authorizeRoute(claims, role, route);
        if (grant != AccessGrant.PUBLIC && model != null) {
            authorizeModel(claims, role, model);
        }
        return grant;
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
}
