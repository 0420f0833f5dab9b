package io.claimgate.gateway.management;

import io.claimgate.gateway.http.JsonResponses;
import io.claimgate.model.ProxyRole;
import io.claimgate.validator.store.LiteLlmTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The rows a team membership lives in, as {@link Members} changes them inside its transaction: the team row and its
 * {@code members_with_roles}, the user row and its {@code teams}, the {@code LiteLLM_TeamMembership} row and its
 * budget row.
 */
final class Memberships {

    private static final String TEAMS = LiteLlmTable.TEAM.quoted();
    private static final String USERS = LiteLlmTable.USER.quoted();
    private static final String MEMBERSHIPS = "\"LiteLLM_TeamMembership\"";

    private Memberships() {
    }

    /** The team row, locked until the transaction ends, so that calls for one team change its roster in turn. */
    static Optional<Map<String, Object>> lockTeam(Connection c, String teamId) throws SQLException {
        return Rows.query(c, "SELECT * FROM " + TEAMS + " WHERE team_id = ? FOR UPDATE", teamId).stream()
                .findFirst();
    }

    /** Stores the roster on the team and returns the team row, its roster as a list. */
    static Map<String, Object> writeRoster(Connection c, String teamId, Roster roster) throws SQLException {
        Map<String, Object> team = Rows.query(c, "UPDATE " + TEAMS + " SET members_with_roles = CAST(? AS jsonb),"
                + " updated_at = CURRENT_TIMESTAMP WHERE team_id = ? RETURNING *", Rows.toJson(roster.json()),
                teamId).get(0);
        return Teams.withRosterList(team);
    }

    /** The one user with this e-mail (ignoring case, as every e-mail lookup here), or {@code null} when none. */
    static String userIdByEmail(Connection c, String email) throws SQLException {
        List<Map<String, Object>> rows = Rows.query(c, "SELECT user_id FROM " + USERS
                + " WHERE lower(user_email) = lower(?) ORDER BY user_id LIMIT 2", email);
        if (rows.size() > 1) {
            throw JsonResponses.badRequest("user_email_ambiguous", "Multiple users with this email found in db. "
                    + "Please use 'user_id' instead.", "user_email");
        }
        return rows.isEmpty() ? null : rows.get(0).get("user_id").toString();
    }

    /**
     * Adds the team to the user's {@code teams}, creating the user as LiteLLM does when none has this id (or, without
     * an id, this e-mail): an {@code internal_user} with a generated id.
     */
    static Map<String, Object> joinUser(Connection c, String userId, String email, String teamId)
            throws SQLException {
        String id = userId != null ? userId : UUID.randomUUID().toString();
        if (Users.TABLE.find(c, id).isEmpty()) {
            if (email != null && userIdByEmail(c, email) != null) {
                throw JsonResponses.badRequest("user_email_taken", "user_email '" + email + "' belongs to another "
                        + "user; name that user by user_id", "user_email");
            }
            Rows.query(c, "INSERT INTO " + USERS + " (user_id, user_email, user_role, teams, models, metadata)"
                    + " VALUES (?, ?, ?, '{}', '{}', '{}') ON CONFLICT (user_id) DO NOTHING RETURNING user_id",
                    id, email, ProxyRole.INTERNAL_USER.wireValue());
        }
        // The filter makes the append a no-op when the team is there already, so teams never lists a team twice.
        Rows.query(c, "UPDATE " + USERS + " SET teams = array_append(coalesce(teams, '{}'), ?),"
                + " updated_at = CURRENT_TIMESTAMP WHERE user_id = ? AND NOT (? = ANY(coalesce(teams, '{}')))"
                + " RETURNING user_id", teamId, id, teamId);
        return Users.TABLE.require(c, id);
    }

    /**
     * Sets the member's budget limits: in the membership's own budget row, or in a new one when it has none or shares
     * it (a budget row other objects also use is copied, so that one member's change reaches no one else).
     */
    static Map<String, Object> setBudget(Connection c, String teamId, String userId,
                                          Map<String, Object> limits, String actor) throws SQLException {
        Optional<Map<String, Object>> membership = Rows.query(c, "SELECT * FROM " + MEMBERSHIPS
                + " WHERE team_id = ? AND user_id = ? FOR UPDATE", teamId, userId).stream().findFirst();
        Object budgetId = membership.map(m -> m.get("budget_id")).orElse(null);
        Optional<Map<String, Object>> budget = Budgets.find(c, budgetId);
        String id;
        if (budget.isPresent() && !shared(c, budgetId.toString(), teamId, userId)) {
            id = Budgets.apply(c, budgetId, limits, actor);
        } else {
            Map<String, Object> values = new LinkedHashMap<>(budget.map(Budgets::limits).orElse(Map.of()));
            values.putAll(limits);
            id = Budgets.create(c, values, actor).get("budget_id").toString();
        }
        return Rows.query(c, "INSERT INTO " + MEMBERSHIPS + " (user_id, team_id, budget_id) VALUES (?, ?, ?)"
                + " ON CONFLICT (user_id, team_id) DO UPDATE SET budget_id = EXCLUDED.budget_id RETURNING *",
                userId, teamId, id).get(0);
    }

    /** Whether anything but this membership uses the budget row: another membership, an organization, a customer. */
    private static boolean shared(Connection c, String budgetId, String teamId, String userId) throws SQLException {
        return !Rows.query(c, "SELECT 1 FROM " + MEMBERSHIPS + " WHERE budget_id = ? AND NOT (team_id = ? AND"
                + " user_id = ?) UNION ALL SELECT 1 FROM " + LiteLlmTable.ORGANIZATION.quoted() + " WHERE budget_id = ?"
                + " UNION ALL SELECT 1 FROM " + LiteLlmTable.END_USER.quoted() + " WHERE budget_id = ?"
                + " UNION ALL SELECT 1 FROM " + TEAMS + " WHERE metadata ->> 'team_member_budget_id' = ? LIMIT 1",
                budgetId, teamId, userId, budgetId, budgetId, budgetId).isEmpty();
    }
}
