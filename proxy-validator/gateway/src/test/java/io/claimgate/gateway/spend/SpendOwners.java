package io.claimgate.gateway.spend;

import io.claimgate.validator.store.TestPostgres;
import java.util.UUID;

/**
 * The rows a spend record is booked to, inserted for a test: an organization (with the budget row LiteLLM requires),
 * a team in it, a user, and the user's membership of the team.
 */
record SpendOwners(String team, String user, String organization) {

    /** Fresh ids, inserted. */
    static SpendOwners inserted(String jdbcUrl) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        return inserted(jdbcUrl, "team-" + id, "user-" + id, "org-" + id);
    }

    /** These ids (any characters), inserted. */
    static SpendOwners inserted(String jdbcUrl, String team, String user, String organization) {
        String budget = "b-" + UUID.randomUUID();
        TestPostgres.execute(jdbcUrl,
                "INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, created_by, updated_by) VALUES ('" + budget
                        + "', 'test', 'test')",
                "INSERT INTO \"LiteLLM_OrganizationTable\" (organization_id, organization_alias, budget_id, "
                        + "created_by, updated_by) VALUES (" + literal(organization) + ", 'org', '" + budget
                        + "', 'test', 'test')",
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id, organization_id) VALUES (" + literal(team) + ", "
                        + literal(organization) + ")",
                "INSERT INTO \"LiteLLM_UserTable\" (user_id) VALUES (" + literal(user) + ")",
                "INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id) VALUES (" + literal(user) + ", "
                        + literal(team) + ")");
        return new SpendOwners(team, user, organization);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
