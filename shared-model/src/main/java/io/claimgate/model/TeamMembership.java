package io.claimgate.model;

/**
 * A row of {@code LiteLLM_TeamMembership}: one user's spend within one team, with the budget row it links to.
 *
 * @param teamId the team
 * @param userId the user (LiteLLM's {@code user_id})
 * @param spend  what the user has spent in this team so far, in USD
 * @param budget the membership's {@code LiteLLM_BudgetTable} row, or {@code null} when it has none
 */
public record TeamMembership(String teamId, String userId, double spend, Budget budget) {

    /** The membership's spend ceiling in USD, or {@code null} for none. */
    public Double maxBudget() {
        return budget == null ? null : budget.maxBudget();
    }
}
