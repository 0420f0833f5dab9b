package io.claimgate.validator.access;

import io.claimgate.model.Team;
import io.claimgate.model.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which models an object may call: LiteLLM's {@code _check_model_access_helper} (used by
 * {@code can_team_access_model} and {@code can_user_call_model}). The one rule behind the team and user model checks,
 * the team choice, {@code scope_mappings} and the {@code /models} list, so that what a caller is shown is what it may
 * call.
 *
 * <p>The model is allowed when the list is empty (for {@link #of}), holds {@code *} or {@code all-proxy-models}, holds
 * the exact name, or holds a wildcard entry that matches it: {@code *} is any run of characters, the rest literal,
 * anchored ({@code openai/*} allows {@code openai/gpt-4o}). Wildcards are matched by {@link Glob#stars}, never by a
 * regular expression: the name comes from the caller. A request without a model is allowed. LiteLLM's team model
 * aliases, model access groups and provider inference ({@code gpt-4o} under {@code openai/*}) need data or a router
 * Claimgate does not have and are not supported; see {@code docs/access-control.md}.
 */
public final class ModelAccess {

    /** LiteLLM's {@code SpecialModelNames.all_proxy_models}. */
    public static final String ALL_PROXY_MODELS = "all-proxy-models";

    private static final ModelAccess ALL = new ModelAccess(List.of(), true);
    private static final ModelAccess NONE = new ModelAccess(List.of(), false);

    private final List<String> models;
    private final boolean all;
    private final Set<String> exact;
    private final List<Glob> wildcards;

    private ModelAccess(List<String> models, boolean emptyMeansAll) {
        this.models = List.copyOf(models);
        Set<String> names = new HashSet<>();
        List<Glob> patterns = new ArrayList<>();
        boolean everything = emptyMeansAll && this.models.isEmpty();
        for (String model : this.models) {
            if ("*".equals(model) || ALL_PROXY_MODELS.equals(model)) {
                everything = true;
            } else if (model.indexOf('*') >= 0) {
                patterns.add(Glob.stars(model));
            } else {
                names.add(model);
            }
        }
        all = everything;
        exact = Set.copyOf(names);
        wildcards = List.copyOf(patterns);
    }

    /** LiteLLM's semantics for a team's, user's or organization's model list: empty means every model. */
    public static ModelAccess of(List<String> models) {
        return models == null || models.isEmpty() ? ALL : new ModelAccess(models, true);
    }

    /**
     * A list where empty means none: what {@code scope_mappings} grant. Wildcards, {@code *} and
     * {@code all-proxy-models} still work.
     */
    public static ModelAccess listed(List<String> models) {
        return new ModelAccess(models == null ? List.of() : models, false);
    }

    /**
     * The list that governs a caller's models, as LiteLLM's common checks choose it: the team's when the request is
     * made for a team, else the user's ({@code no-default-models} allows none: that user calls models through teams
     * only), else every model (a proxy admin, the master key, a caller without objects).
     *
     * @param team the team the request is made for, or {@code null}
     * @param user the caller's user row, or {@code null}
     */
    public static ModelAccess governing(Team team, User user) {
        if (team != null) {
            return of(team.models());
        }
        if (user != null) {
            return user.models().contains(CommonChecks.NO_DEFAULT_MODELS) ? NONE : of(user.models());
        }
        return ALL;
    }

    /** {@code of(models).allows(model)}: the per-request form for a team's or user's row. */
    public static boolean permits(List<String> models, String model) {
        return model == null || of(models).allows(model);
    }

    /** Whether the model may be called; {@code null} (no model in the request) is always allowed. */
    public boolean allows(String model) {
        if (model == null || all || exact.contains(model)) {
            return true;
        }
        for (Glob wildcard : wildcards) {
            if (wildcard.matches(model)) {
                return true;
            }
        }
        return false;
    }

    /** The candidates this access allows, in their order: what {@code /models} shows of the proxy's model list. */
    public List<String> allowedAmong(Collection<String> candidates) {
        return all ? List.copyOf(candidates) : candidates.stream().filter(this::allows).toList();
    }

    /** The list as configured, for messages. */
    public List<String> models() {
        return models;
    }

    @Override
    public String toString() {
        return "ModelAccess" + models;
    }
}
