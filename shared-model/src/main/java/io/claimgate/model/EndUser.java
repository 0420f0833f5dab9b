package io.claimgate.model;

/**
 * A row of {@code LiteLLM_EndUserTable} (LiteLLM's "customer"), joined with its budget.
 *
 * @param userId  the key: the end user's id as the caller passes it
 * @param alias   a human name, or {@code null}
 * @param spend   the spend so far in USD
 * @param blocked a blocked end user is refused
 * @param budget  the end user's budget row, or {@code null}
 */
public record EndUser(String userId, String alias, double spend, boolean blocked, Budget budget) {
}
