package io.claimgate.validator.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the upstream's router knows about models, as far as model access depends on it: the deployments of
 * {@code model_list} (their {@code model_name}, the {@code litellm_params.model} they run and their
 * {@code model_info.access_groups}) and the proxy-wide aliases ({@code router_settings.model_group_alias},
 * {@code litellm_settings.model_alias_map}). A plain value, built by whoever reads the proxy's configuration; the
 * library never reads {@code config.yaml} itself. {@link #EMPTY} knows no deployment and no alias: model lists then
 * grant by name and wildcard only.
 *
 * <p>Immutable and thread-safe.
 */
public final class ModelCatalogue {

    /** No deployments, no aliases. */
    public static final ModelCatalogue EMPTY = new ModelCatalogue(List.of(), Map.of());

    /**
     * One {@code model_list} entry.
     *
     * @param modelName    {@code model_name}: the name requests use, shared by the deployments the router balances
     * @param upstreamModel {@code litellm_params.model} with its provider prefix ({@code openai/gpt-4o}); when the
     *                     entry names the provider in {@code custom_llm_provider} instead, the reader joins them.
     *                     {@code null} when the entry has none: it then matches no provider wildcard
     * @param accessGroups {@code model_info.access_groups}
     */
    public record Deployment(String modelName, String upstreamModel, List<String> accessGroups) {

        public Deployment {
            Objects.requireNonNull(modelName, "modelName");
            accessGroups = accessGroups == null ? List.of() : List.copyOf(accessGroups);
        }
    }

    private final List<Deployment> deployments;
    private final Map<String, List<Deployment>> byName;
    private final Map<String, String> aliases;
    private final Set<String> accessGroups;

    private ModelCatalogue(List<Deployment> deployments, Map<String, String> aliases) {
        this.deployments = List.copyOf(deployments);
        Map<String, List<Deployment>> names = new LinkedHashMap<>();
        Set<String> groups = new LinkedHashSet<>();
        for (Deployment deployment : this.deployments) {
            names.computeIfAbsent(deployment.modelName(), name -> new ArrayList<>()).add(deployment);
            groups.addAll(deployment.accessGroups());
        }
        Map<String, List<Deployment>> frozen = new LinkedHashMap<>();
        names.forEach((name, list) -> frozen.put(name, List.copyOf(list)));
        byName = Collections.unmodifiableMap(frozen);
        this.aliases = Map.copyOf(aliases);
        accessGroups = Collections.unmodifiableSet(groups);
    }

    /**
     * A catalogue of these deployments and aliases.
     *
     * @param deployments the {@code model_list} entries, in order
     * @param aliases     alias name to the {@code model_name} the router runs for it
     */
    public static ModelCatalogue of(List<Deployment> deployments, Map<String, String> aliases) {
        Objects.requireNonNull(deployments, "deployments");
        Objects.requireNonNull(aliases, "aliases");
        return deployments.isEmpty() && aliases.isEmpty() ? EMPTY : new ModelCatalogue(deployments, aliases);
    }

    /** Whether a deployment is named so: such a name is a model, whatever else it also is. */
    public boolean isModelName(String name) {
        return byName.containsKey(name);
    }

    /** The {@code model_name} the router runs for an alias, or {@code null} when the name is no alias. */
    public String aliasTarget(String name) {
        return aliases.get(name);
    }

    /** The deployments named so, in {@code model_list} order; empty for an unknown name. */
    List<Deployment> deploymentsNamed(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /**
     * Every name a request may use for a deployment of this catalogue: the {@code model_name}s in {@code model_list}
     * order, then the aliases, sorted. What {@code /models} filters.
     */
    public List<String> requestableNames() {
        Set<String> names = new LinkedHashSet<>(byName.keySet());
        aliases.keySet().stream().sorted().forEach(names::add);
        return List.copyOf(names);
    }

    /** The deployments, in {@code model_list} order. */
    public List<Deployment> deployments() {
        return deployments;
    }

    /** The aliases, alias name to target {@code model_name}. */
    public Map<String, String> aliases() {
        return aliases;
    }

    @Override
    public String toString() {
        return "ModelCatalogue[" + byName.size() + " models, " + accessGroups.size() + " access groups, "
                + aliases.size() + " aliases]";
    }
}
