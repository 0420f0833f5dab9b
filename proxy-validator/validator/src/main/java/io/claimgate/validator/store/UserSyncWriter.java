package io.claimgate.validator.store;

import io.claimgate.model.UserSync;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a {@link UserSync} the way LiteLLM's {@code sync_user_role_and_teams} does, in one transaction: the user's
 * {@code user_role}; for each team to join, a {@code {user_id, role: user}} entry in the team's
 * {@code members_with_roles} and the team id in the user's {@code teams} ({@code team_member_add}); for each team to
 * leave, the reverse, and the user's {@code LiteLLM_TeamMembership} row ({@code team_member_delete}). A team that is
 * not in the database is skipped, as LiteLLM's add fails for it. The V3 triggers announce every row written, so
 * caches elsewhere drop the old rows.
 */
final class UserSyncWriter {

    private static final String USERS = LiteLlmTable.USER.quoted();
    private static final String TEAMS = LiteLlmTable.TEAM.quoted();
    private static final String LOCK_USER_TEAMS = "SELECT teams FROM " + USERS + " WHERE user_id = ? FOR UPDATE";
    private static final String SET_ROLE = "UPDATE " + USERS
            + " SET user_role = ?, updated_at = CURRENT_TIMESTAMP WHERE user_id = ? AND user_role IS DISTINCT FROM ?";
    private static final String EXISTING_TEAMS = "SELECT team_id FROM " + TEAMS
            + " WHERE team_id = ANY (?) ORDER BY team_id FOR UPDATE";
    // LiteLLM's column default is '{}' (an object); a team created by /team/new holds a list.
    private static final String MEMBERS = "(CASE WHEN jsonb_typeof(members_with_roles) = 'array'"
            + " THEN members_with_roles ELSE '[]'::jsonb END)";
    private static final String ADD_MEMBER = "UPDATE " + TEAMS + " SET members_with_roles = " + MEMBERS
            + " || jsonb_build_array(jsonb_build_object('user_id', ?::text, 'role', 'user', 'user_email', NULL)),"
            + " updated_at = CURRENT_TIMESTAMP WHERE team_id = ? AND NOT (" + MEMBERS
            + " @> jsonb_build_array(jsonb_build_object('user_id', ?::text)))";
    private static final String REMOVE_MEMBER = "UPDATE " + TEAMS + " SET members_with_roles = COALESCE("
            + "(SELECT jsonb_agg(m) FROM jsonb_array_elements(" + MEMBERS + ") m"
            + " WHERE m->>'user_id' IS DISTINCT FROM ?), '[]'::jsonb), updated_at = CURRENT_TIMESTAMP"
            + " WHERE team_id = ? AND " + MEMBERS + " @> jsonb_build_array(jsonb_build_object('user_id', ?::text))";
    private static final String DELETE_MEMBERSHIP = "DELETE FROM \"LiteLLM_TeamMembership\""
            + " WHERE user_id = ? AND team_id = ?";
    private static final String SET_TEAMS = "UPDATE " + USERS
            + " SET teams = ?, updated_at = CURRENT_TIMESTAMP WHERE user_id = ?";

    private UserSyncWriter() {
    }

    /** Applies the change on this connection, in a transaction of its own; the caller reads the row back. */
    static void write(Connection connection, UserSync sync) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            List<String> teams = lockedTeams(connection, sync.userId());
            if (teams != null) {
                if (sync.role() != null) {
                    update(connection, SET_ROLE, sync.role().wireValue(), sync.userId(), sync.role().wireValue());
                }
                if (sync.changesTeams()) {
                    writeTeams(connection, sync, teams);
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The user's teams as stored now, the row locked against a concurrent sync; {@code null} when it is gone. */
    private static List<String> lockedTeams(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_USER_TEAMS)) {
            statement.setString(1, userId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Columns.strings(row, "teams") : null;
            }
        }
    }

    private static void writeTeams(Connection connection, UserSync sync, List<String> stored) throws SQLException {
        Set<String> teams = new LinkedHashSet<>(stored);
        // Every team row either side touches is locked first, in one order, so two syncs never wait on each other.
        List<String> touched = new ArrayList<>(sync.teamsToAdd());
        touched.addAll(sync.teamsToRemove());
        Set<String> existing = existingTeams(connection, touched);
        for (String team : sync.teamsToAdd()) {
            if (existing.contains(team)) {
                update(connection, ADD_MEMBER, sync.userId(), team, sync.userId());
                teams.add(team);
            }
        }
        for (String team : sync.teamsToRemove()) {
            update(connection, REMOVE_MEMBER, sync.userId(), team, sync.userId());
            update(connection, DELETE_MEMBERSHIP, sync.userId(), team);
            teams.remove(team);
        }
        try (PreparedStatement statement = connection.prepareStatement(SET_TEAMS)) {
            statement.setArray(1, connection.createArrayOf("text", teams.toArray()));
            statement.setString(2, sync.userId());
            statement.executeUpdate();
        }
    }

    /** Of these teams, those in the database, locked in team id order. */
    private static Set<String> existingTeams(Connection connection, List<String> teamIds) throws SQLException {
        Set<String> found = new LinkedHashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(EXISTING_TEAMS)) {
            Array ids = connection.createArrayOf("text", teamIds.toArray());
            statement.setArray(1, ids);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    found.add(row.getString(1));
                }
            }
        }
        return found;
    }

    private static void update(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
