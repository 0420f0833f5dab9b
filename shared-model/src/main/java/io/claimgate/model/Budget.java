package io.claimgate.model;

/**
 * A row of {@code LiteLLM_BudgetTable}: limits shared by organizations and end users.
 *
 * @param budgetId   the key
 * @param maxBudget  the spend ceiling in USD, or {@code null} for none
 * @param softBudget the alerting threshold in USD, or {@code null} for none
 */
public record Budget(String budgetId, Double maxBudget, Double softBudget) {
}
