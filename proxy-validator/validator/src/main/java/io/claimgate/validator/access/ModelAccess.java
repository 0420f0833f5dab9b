package io.claimgate.validator.access;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which models an object may call: LiteLLM's {@code _check_model_access_helper} (used by
 * {@code can_team_access_model} and {@code can_user_call_model}), precompiled.
 *
 * <p>The model is allowed when it is a key of the team's model aliases, matches a wildcard entry ({@code *} is any
 * run of characters, the rest literal, anchored: {@code openai/*} allows {@code openai/gpt-4o}), or is listed
 * exactly. An empty list, {@code *} and {@code all-proxy-models} allow every model. A request without a model is
 * allowed. LiteLLM's model access groups and provider inference ({@code gpt-4o} under {@code openai/*}) need its
 * router and are not supported; see {@code docs/access-control.md}.
 */
public final class ModelAccess {

    /** LiteLLM's {@code SpecialModelNames.all_proxy_models}. */
    public static final String ALL_PROXY_MODELS = "all-proxy-models";

    private static final ModelAccess ALL = new ModelAccess(List.of(), Map.of(), true);

    private final List<String> models;
    private final Set<String> exact;
    private final Pattern wildcards;
    private final Set<String> aliases;
    private final boolean all;

    private ModelAccess(List<String> models, Map<String, String> aliases, boolean emptyMeansAll) {
        this.models = List.copyOf(models);
        this.aliases = Set.copyOf(aliases.keySet());
        Set<String> names = new HashSet<>();
        List<String> patterns = new ArrayList<>();
        boolean everything = emptyMeansAll && this.models.isEmpty();
        for (String model : this.models) {
            if ("*".equals(model) || ALL_PROXY_MODELS.equals(model)) {
                everything = true;
            } else if (model.indexOf('*') >= 0) {
                patterns.add(wildcardRegex(model));
            } else {
                names.add(model);
            }
        }
        all = everything;
        exact = Set.copyOf(names);
        wildcards = patterns.isEmpty() ? null : Pattern.compile(String.join("|", patterns), Pattern.DOTALL);
    }

    /** LiteLLM's semantics for a team's, user's or organization's model list: empty means every model. */
    public static ModelAccess of(List<String> models) {
        return of(models, Map.of());
    }

    /** As {@link #of(List)}, also allowing the keys of a team's model aliases. */
    public static ModelAccess of(List<String> models, Map<String, String> teamModelAliases) {
        Objects.requireNonNull(teamModelAliases, "teamModelAliases");
        return models == null || models.isEmpty() && teamModelAliases.isEmpty() ? ALL
                : new ModelAccess(models, teamModelAliases, true);
    }

    /**
     * A list where empty means none: what {@code role_permissions} and {@code scope_mappings} grant. Wildcards,
     * {@code *} and {@code all-proxy-models} still work.
     */
    public static ModelAccess listed(List<String> models) {
        return new ModelAccess(models == null ? List.of() : models, Map.of(), false);
    }

    /**
     * {@code of(models).allows(model)} without building anything: the per-request form for a team's or user's list,
     * which changes with every row and would otherwise compile its wildcards on every request.
     */
    public static boolean permits(List<String> models, String model) {
        if (model == null || models == null || models.isEmpty()) {
            return true;
        }
        for (int i = 0; i < models.size(); i++) {
            String allowed = models.get(i);
            if (allowed.equals(model) || "*".equals(allowed) || ALL_PROXY_MODELS.equals(allowed)
                    || allowed.indexOf('*') >= 0 && globMatches(allowed, model)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} matches {@code pattern}, where {@code *} stands for any run of characters. */
    static boolean globMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Whether the model may be called; {@code null} (no model in the request) is always allowed. */
    public boolean allows(String model) {
        if (model == null || all) {
            return true;
        }
        return aliases.contains(model) || exact.contains(model)
                || (wildcards != null && wildcards.matcher(model).matches());
    }

    /** The list as configured, for messages. */
    public List<String> models() {
        return models;
    }

    private static String wildcardRegex(String pattern) {
        StringBuilder regex = new StringBuilder("(?:");
        int start = 0;
        for (int star = pattern.indexOf('*'); star >= 0; star = pattern.indexOf('*', start)) {
            if (star > start) {
                regex.append(Pattern.quote(pattern.substring(start, star)));
            }
            regex.append(".*");
            start = star + 1;
        }
        if (start < pattern.length()) {
            regex.append(Pattern.quote(pattern.substring(start)));
        }
        return regex.append(')').toString();
    }

    @Override
    public String toString() {
        return "ModelAccess" + models;
    }
}
