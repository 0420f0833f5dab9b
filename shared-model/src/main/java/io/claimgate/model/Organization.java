package io.claimgate.model;

import java.util.List;

/**
 * A row of {@code LiteLLM_OrganizationTable} joined with its budget.
 *
 * @param organizationId    the key
 * @param organizationAlias a human name
 * @param models            the models the organization may call; empty means all
 * @param spend             the spend so far in USD
 * @param budget            the organization's budget row, or {@code null}
 */
public record Organization(String organizationId, String organizationAlias, List<String> models, double spend,
                           Budget budget) {

    public Organization {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
