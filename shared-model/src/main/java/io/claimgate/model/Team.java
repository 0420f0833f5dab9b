package io.claimgate.model;

import java.util.List;
import java.util.Map;

/**
 * A row of {@code LiteLLM_TeamTable}, as far as authentication reads it.
 *
 * @param teamId         the key
 * @param teamAlias      a human name, unique by convention; tokens may name a team by it
 * @param organizationId the owning organization, or {@code null}
 * @param models         the models the team may call; empty means all (LiteLLM's semantics)
 * @param maxBudget      the spend ceiling in USD, or {@code null} for none
 * @param spend          the spend so far in USD
 * @param blocked        a blocked team's members are refused everywhere
 * @param metadata       free-form JSON metadata, never {@code null}
 * @param modelAliases   the team's model aliases ({@code LiteLLM_ModelTable.model_aliases} of the team's
 *                       {@code model_id}): a requested name to the model the upstream runs for this team; never
 *                       {@code null}
 */
public record Team(String teamId, String teamAlias, String organizationId, List<String> models,
                   Double maxBudget, double spend, boolean blocked, Map<String, Object> metadata,
                   Map<String, String> modelAliases) {

    public Team {
        models = models == null ? List.of() : List.copyOf(models);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        modelAliases = modelAliases == null ? Map.of() : Map.copyOf(modelAliases);
    }

    /** A team without model aliases. */
    public Team(String teamId, String teamAlias, String organizationId, List<String> models, Double maxBudget,
                double spend, boolean blocked, Map<String, Object> metadata) {
        this(teamId, teamAlias, organizationId, models, maxBudget, spend, blocked, metadata, Map.of());
    }
}
