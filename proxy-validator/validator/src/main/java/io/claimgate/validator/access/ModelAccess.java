package io.claimgate.validator.access;

import io.claimgate.model.Team;
import io.claimgate.model.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * regular expression: the name comes from the caller. A request without a model is allowed.
 *
 * <p>Given the proxy's {@link ModelCatalogue} (and a team's model aliases), {@link #allows(String, ModelCatalogue, Map)}
 * decides as the upstream's router runs the request: an alias is checked as the model it runs, a list entry that names
 * an access group grants that group's deployments, and a provider wildcard ({@code openai/*}) grants a
 * {@code model_name} whose every deployment runs a model of that provider. See {@code docs/access-control.md}.
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

    /**
     * {@code of(models).allows(model, catalogue, aliases)}: the per-request form for a team's or user's row.
     *
     * @param teamAliases the team's model aliases ({@code LiteLLM_ModelTable.model_aliases}); empty for a user
     */
    public static boolean permits(List<String> models, String model, ModelCatalogue catalogue,
                                  Map<String, String> teamAliases) {
        return model == null || of(models).allows(model, catalogue, teamAliases);
    }

    /**
     * Whether the model may be called as the upstream will run it: LiteLLM's {@code _can_object_call_model}, with
     * Claimgate's stricter reading of aliases.
     *
     * <p>The name the request sends is followed as the upstream follows it: a team model alias first (LiteLLM applies
     * it to the request), then the router's alias ({@code model_group_alias}, else {@code model_alias_map}). The
     * {@code model_name} it ends at must be granted: by name, by a wildcard, by an access group one of its deployments
     * is in, or by a provider wildcard matching every one of its deployments (the router may pick any). An alias name is
     * also granted when this list names it exactly and it is no {@code model_name} of its own; a list entry that only
     * matches an alias by wildcard, or names a model the alias hides, grants nothing the upstream would run.
     *
     * @param model       the requested name, or {@code null} (always allowed)
     * @param catalogue   the proxy's deployments and aliases
     * @param teamAliases the team's model aliases, requested name to the name it runs; empty without a team
     */
    public boolean allows(String model, ModelCatalogue catalogue, Map<String, String> teamAliases) {
        if (model == null || all) {
            return true;
        }
        String name = model;
        String teamTarget = teamAliases.get(name);
        if (teamTarget != null && !teamTarget.equals(name)) {
            if (namesAlias(name, catalogue)) {
                return true;
            }
            name = teamTarget;
        }
        String routerTarget = catalogue.aliasTarget(name);
        if (routerTarget != null && !routerTarget.equals(name)) {
            if (namesAlias(name, catalogue)) {
                return true;
            }
            name = routerTarget;
        }
        return grants(name, catalogue);
    }

    /** An alias named exactly grants what it runs; a name that is also a model's would grant that model, not this. */
    private boolean namesAlias(String alias, ModelCatalogue catalogue) {
        return exact.contains(alias) && !catalogue.isModelName(alias);
    }

    /** Whether this list grants a {@code model_name} (or a name no deployment has) as it is. */
    private boolean grants(String name, ModelCatalogue catalogue) {
        if (exact.contains(name) || matchesWildcard(name)) {
            return true;
        }
        List<ModelCatalogue.Deployment> deployments = catalogue.deploymentsNamed(name);
        for (ModelCatalogue.Deployment deployment : deployments) {
            for (String group : deployment.accessGroups()) {
                if (exact.contains(group)) {
                    return true;
                }
            }
        }
        if (deployments.isEmpty() || wildcards.isEmpty()) {
            return false;
        }
        for (ModelCatalogue.Deployment deployment : deployments) {
            if (!matchesWildcard(deployment.upstreamModel())) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesWildcard(String name) {
        for (Glob wildcard : wildcards) {
            if (wildcard.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The names among the catalogue's that this access allows, as {@link #allows(String, ModelCatalogue, Map)} decides
     * them, then the team's alias names it allows: what {@code /models} shows.
     */
    public List<String> allowedAmong(ModelCatalogue catalogue, Map<String, String> teamAliases) {
        Set<String> names = new LinkedHashSet<>(catalogue.requestableNames());
        teamAliases.keySet().stream().sorted().forEach(names::add);
        return names.stream().filter(name -> allows(name, catalogue, teamAliases)).toList();
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
