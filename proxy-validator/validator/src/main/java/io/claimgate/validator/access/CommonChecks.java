package io.claimgate.validator.access;

import io.claimgate.model.EndUser;
import io.claimgate.model.Organization;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.ErrorType;
import java.util.List;
import java.util.Map;

/**
 * The checks LiteLLM's {@code common_checks} makes on the loaded objects, in its order:
 *
 * <ol>
 *   <li>a blocked team is refused;</li>
 *   <li>a team must be allowed the model ({@code can_team_access_model});</li>
 *   <li>without a team, the user must be allowed the model ({@code can_user_call_model});</li>
 *   <li>team budget: refused when spend &gt; max_budget;</li>
 *   <li>organization budget: refused when spend &gt;= max_budget, a max_budget of 0 included (LiteLLM PR #41271);</li>
 *   <li>personal user budget, only without a team: refused when spend &gt;= max_budget;</li>
 *   <li>end-user budget: refused when spend &gt; max_budget, except on info routes;</li>
 *   <li>a blocked end user is refused.</li>
 * </ol>
 * Messages are LiteLLM's newest; a denied model gets its generic message, which lists no allowed models. Statuses:
 * a blocked team or end user and a denied model are 403 (LiteLLM answers 401, but
 * the caller is known, only not allowed); an exceeded budget is 400 {@code budget_exceeded}, as in LiteLLM.
 * Pure; the caller passes whatever objects it loaded ({@code null} when absent).
 */
public final class CommonChecks {

    /** LiteLLM's {@code SpecialModelNames.no_default_models}: the user may only call models through a team. */
    public static final String NO_DEFAULT_MODELS = "no-default-models";

    private static final RouteMatcher INFO_ROUTES = RouteMatcher.of(List.of(RouteGroups.INFO_ROUTES));

    private CommonChecks() {
    }

    /**
     * Runs every check.
     *
     * @param team    the team the request is made for, or {@code null}
     * @param user    the caller's user row, or {@code null}
     * @param org     the organization (the token's, else the team's), or {@code null}
     * @param endUser the end user, or {@code null}
     * @param model   the requested model, or {@code null}
     * @param route   the request path
     * @throws AuthException at the first check that fails
     */
    public static void verify(Team team, User user, Organization org, EndUser endUser, String model, String route) {
        verify(team, user, org, endUser, model, route, ModelCatalogue.EMPTY);
    }

    /**
     * Runs every check, deciding models as the upstream's router runs them ({@link ModelAccess#allows(String,
     * ModelCatalogue, java.util.Map)}: access groups, aliases, provider wildcards).
     *
     * @param catalogue the proxy's deployments and aliases
     * @see #verify(Team, User, Organization, EndUser, String, String)
     */
    public static void verify(Team team, User user, Organization org, EndUser endUser, String model, String route,
                              ModelCatalogue catalogue) {
        if (team != null && team.blocked()) {
            throw AuthException.forbidden("team_blocked", "Team=" + team.teamId()
                    + " is blocked. Update via `/team/unblock` if you're an admin.");
        }
        if (model != null && team != null
                && !ModelAccess.permits(team.models(), model, catalogue, team.modelAliases())) {
            throw AuthException.teamModelDenied(Messages.modelAccessDenied(model));
        }
        if (model != null && team == null && user != null) {
            checkUserModel(user, model, catalogue);
        }
        if (team != null && team.maxBudget() != null && team.spend() > team.maxBudget()) {
            throw AuthException.budgetExceeded("Budget has been exceeded! Team=" + team.teamId() + " Current cost: "
                    + Messages.number(team.spend()) + ", Max budget: " + Messages.number(team.maxBudget()));
        }
        Double orgMax = org == null || org.budget() == null ? null : org.budget().maxBudget();
        if (orgMax != null && org.spend() >= orgMax) {
            throw AuthException.budgetExceeded("Budget has been exceeded! Organization=" + org.organizationId()
                    + " Current cost: " + Messages.number(org.spend()) + ", Max budget: " + Messages.number(orgMax));
        }
        if (team == null && user != null && user.maxBudget() != null && user.spend() >= user.maxBudget()) {
            throw AuthException.budgetExceeded("ExceededBudget: User=" + user.userId() + " over budget. Spend="
                    + Messages.number(user.spend()) + ", Budget=" + Messages.number(user.maxBudget()));
        }
        Double endUserMax = endUser == null || endUser.budget() == null ? null : endUser.budget().maxBudget();
        if (endUserMax != null && endUser.spend() > endUserMax && !INFO_ROUTES.matches(route)) {
            throw AuthException.budgetExceeded("ExceededBudget: End User=" + endUser.userId() + " over budget. Spend="
                    + Messages.number(endUser.spend()) + ", Budget=" + Messages.number(endUserMax));
        }
        if (endUser != null && endUser.blocked()) {
            throw AuthException.forbidden("end_user_blocked", "End User=" + endUser.userId()
                    + " is blocked. Update via `/customer/unblock` if your admin.");
        }
    }

    private static void checkUserModel(User user, String model, ModelCatalogue catalogue) {
        if (user.models().contains(NO_DEFAULT_MODELS)) {
            throw userModelDenied("User not allowed to access model. No default model access, only team models "
                    + "allowed. Tried to access " + model);
        }
        if (!ModelAccess.permits(user.models(), model, catalogue, Map.of())) {
            throw userModelDenied(Messages.modelAccessDenied(model));
        }
    }

    private static AuthException userModelDenied(String message) {
        return AuthException.forbidden(ErrorType.USER_MODEL_ACCESS_DENIED, "user_model_access_denied", message, "model",
                null);
    }
}
