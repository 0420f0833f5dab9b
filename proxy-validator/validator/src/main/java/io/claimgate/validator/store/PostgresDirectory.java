package io.claimgate.validator.store;

import io.claimgate.model.Budget;
import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.EndUser;
import io.claimgate.model.Organization;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.TeamMembership;
import io.claimgate.model.User;
import io.claimgate.model.UserSync;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.Blocking;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The directory read from LiteLLM's tables in PostgreSQL: one prepared statement per lookup, reading only columns
 * LiteLLM itself has, so that it works on Claimgate's own database and on one LiteLLM manages alike.
 *
 * <p>Every failure becomes an {@link AuthException} with status 503; the SQL detail goes to the server log only.
 */
public final class PostgresDirectory implements Directory {

    // The team's model aliases come with its row: one statement, and a team cached with the aliases it had.
    private static final String TEAM_COLUMNS = LiteLlmTable.TEAM.selectList(null, true)
            + ", (SELECT m.aliases FROM " + LiteLlmTable.MODEL.quoted() + " m WHERE m.id = "
            + LiteLlmTable.TEAM.quoted() + ".model_id) AS model_aliases";
    private static final String TEAM_BY_ID =
            "SELECT " + TEAM_COLUMNS + " FROM " + LiteLlmTable.TEAM.quoted() + " WHERE team_id = ?";
    // Aliases are unique by convention only; two rows are enough to tell an alias that names one team from one that
    // names several, which names none (LiteLLM: 400), so a team created later cannot take the name over.
    private static final String TEAMS_BY_ALIAS = "SELECT " + TEAM_COLUMNS + " FROM " + LiteLlmTable.TEAM.quoted()
            + " WHERE team_alias = ? ORDER BY team_id LIMIT 2";

    private static final String USERS = LiteLlmTable.USER.quoted();
    private static final String USER_COLUMNS = LiteLlmTable.USER.selectList(null, true);
    // LiteLLM's order in one statement: the id, then the identity provider's subject, then the e-mail ignoring case.
    // The e-mail branch is guarded by an uncorrelated NOT EXISTS, which PostgreSQL evaluates once before scanning:
    // a user found by id or subject never costs the e-mail search, which has no index in a LiteLLM database.
    private static final String USER_BY_ID_OR_EMAIL = "SELECT " + USER_COLUMNS + " FROM ("
            + " SELECT " + USER_COLUMNS + ", 1 AS priority FROM " + USERS + " WHERE user_id = ?"
            + " UNION ALL"
            + " SELECT " + USER_COLUMNS + ", 2 FROM " + USERS + " WHERE sso_user_id = ?"
            + " UNION ALL"
            + " SELECT " + USER_COLUMNS + ", 3 FROM " + USERS
            + " WHERE lower(user_email) = lower(?)"
            + " AND NOT EXISTS (SELECT 1 FROM " + USERS + " WHERE user_id = ? OR sso_user_id = ?)"
            + ") AS found ORDER BY priority, created_at NULLS LAST, user_id LIMIT 1";
    private static final String USER_BY_ID = "SELECT " + USER_COLUMNS + " FROM " + USERS + " WHERE user_id = ?";
    // ON CONFLICT makes concurrent first requests for one user safe: one inserts, the others find its row.
    private static final String INSERT_USER = "INSERT INTO " + USERS
            + " (user_id, user_email, user_role, teams, models, metadata) VALUES (?, ?, ?, '{}', '{}', '{}')"
            + " ON CONFLICT (user_id) DO NOTHING RETURNING " + USER_COLUMNS;
    // LiteLLM's get_user_object merges default_internal_user_params into the new row; budget_reset_at stays empty
    // as in LiteLLM, and the budget reset job sets it from budget_duration.
    private static final String INSERT_USER_WITH_DEFAULTS = "INSERT INTO " + USERS
            + " (user_id, user_email, user_role, teams, models, max_budget, budget_duration, tpm_limit, rpm_limit,"
            + " metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')"
            + " ON CONFLICT (user_id) DO NOTHING RETURNING " + USER_COLUMNS;

    // The budget's key is the joining row's budget_id, read as such.
    private static final String ORGANIZATION_BY_ID = "SELECT " + LiteLlmTable.ORGANIZATION.selectList("o", true)
            + ", " + LiteLlmTable.BUDGET.selectList("b", false) + " FROM " + LiteLlmTable.ORGANIZATION.quoted() + " o"
            + " LEFT JOIN " + LiteLlmTable.BUDGET.quoted() + " b ON b.budget_id = o.budget_id"
            + " WHERE o.organization_id = ?";
    // Two rows are enough to tell an alias that names one organization from one that names several.
    private static final String ORGANIZATIONS_BY_ALIAS = "SELECT " + LiteLlmTable.ORGANIZATION.selectList("o", true)
            + ", " + LiteLlmTable.BUDGET.selectList("b", false) + " FROM " + LiteLlmTable.ORGANIZATION.quoted() + " o"
            + " LEFT JOIN " + LiteLlmTable.BUDGET.quoted() + " b ON b.budget_id = o.budget_id"
            + " WHERE o.organization_alias = ? ORDER BY o.organization_id LIMIT 2";
    private static final String END_USER_BY_ID = "SELECT " + LiteLlmTable.END_USER.selectList("e", true)
            + ", " + LiteLlmTable.BUDGET.selectList("b", false) + " FROM " + LiteLlmTable.END_USER.quoted() + " e"
            + " LEFT JOIN " + LiteLlmTable.BUDGET.quoted() + " b ON b.budget_id = e.budget_id WHERE e.user_id = ?";

    // LiteLLM_TeamMembership is not in LiteLlmTable.ALL: its three columns are read here only. A budget_id naming no
    // budget row reads as a budget without limits, as the missing foreign key in V2 intends.
    private static final String MEMBERSHIP = "SELECT m.team_id, m.user_id, m.spend, "
            + LiteLlmTable.BUDGET.selectList("b", false) + ", m.budget_id FROM \"LiteLLM_TeamMembership\" m"
            + " LEFT JOIN " + LiteLlmTable.BUDGET.quoted() + " b ON b.budget_id = m.budget_id"
            + " WHERE m.team_id = ? AND m.user_id = ?";

    private final DataSource dataSource;

    /** A directory over this pool; the tables must exist (see {@link Database}). */
    public PostgresDirectory(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Optional<Team> team(String teamId) {
        return byKey("team lookup", TEAM_BY_ID, PostgresDirectory::team, teamId);
    }

    @Override
    public Optional<Team> teamByAlias(String teamAlias) {
        if (teamAlias == null) {
            return Optional.empty();
        }
        List<Team> found;
        // Outside the try: a thread that must not wait is told so, not answered with a database failure.
        Blocking.check("a database query");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(TEAMS_BY_ALIAS)) {
            statement.setString(1, teamAlias);
            found = new ArrayList<>(2);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    found.add(team(row));
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw DatabaseFailures.of("team lookup by alias", e);
        }
        if (found.size() > 1) {
            throw AuthException.badRequest("team_alias_ambiguous", "Multiple teams found with alias '" + teamAlias
                    + "'. Please use team_id_jwt_field instead or ensure team aliases are unique.");
        }
        return found.stream().findFirst();
    }

    @Override
    public Optional<User> user(String userId, String email) {
        if (userId == null && email == null) {
            return Optional.empty();
        }
        return queryOne("user lookup", USER_BY_ID_OR_EMAIL, PostgresDirectory::user,
                userId, userId, email, userId, userId);
    }

    @Override
    public User createUserIfAbsent(String userId, String email, ProxyRole role) {
        Objects.requireNonNull(userId, "userId");
        String roleValue = role == null ? null : role.wireValue();
        Blocking.check("a database query");
        try (Connection connection = dataSource.getConnection()) {
            Optional<User> inserted =
                    queryOne(connection, INSERT_USER, PostgresDirectory::user, userId, email, roleValue);
            if (inserted.isPresent()) {
                return inserted.get();
            }
            // Another request inserted it first; autocommit gives this statement a snapshot that sees that row.
            return queryOne(connection, USER_BY_ID, PostgresDirectory::user, userId)
                    .orElseThrow(() -> new IllegalStateException("user conflicted on insert but is gone"));
        } catch (SQLException | RuntimeException e) {
            throw DatabaseFailures.of("user creation", e);
        }
    }

    @Override
    public User createUserWithDefaults(String userId, String email, DefaultUserParams defaults) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(defaults, "defaults");
        Blocking.check("a database query");
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(INSERT_USER_WITH_DEFAULTS)) {
                statement.setString(1, userId);
                statement.setString(2, email);
                statement.setString(3, defaults.roleOrDefault().wireValue());
                statement.setArray(4, connection.createArrayOf("text", defaults.teams().toArray()));
                statement.setArray(5, connection.createArrayOf("text", defaults.models().toArray()));
                setNullable(statement, 6, defaults.maxBudget(), Types.DOUBLE);
                statement.setString(7, defaults.budgetDuration());
                setNullable(statement, 8, defaults.tpmLimit(), Types.BIGINT);
                setNullable(statement, 9, defaults.rpmLimit(), Types.BIGINT);
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next()) {
                        return user(row);
                    }
                }
            }
            // Another request inserted it first: its row, defaults and all, is the user's.
            return queryOne(connection, USER_BY_ID, PostgresDirectory::user, userId)
                    .orElseThrow(() -> new IllegalStateException("user conflicted on insert but is gone"));
        } catch (SQLException | RuntimeException e) {
            throw DatabaseFailures.of("user creation", e);
        }
    }

    @Override
    public User syncUser(User user, UserSync sync) {
        Objects.requireNonNull(user, "user");
        Blocking.check("a database query");
        try (Connection connection = dataSource.getConnection()) {
            UserSyncWriter.write(connection, sync);
            return queryOne(connection, USER_BY_ID, PostgresDirectory::user, user.userId()).orElse(user);
        } catch (SQLException | RuntimeException e) {
            throw DatabaseFailures.of("user sync", e);
        }
    }

    private static void setNullable(PreparedStatement statement, int index, Object value, int sqlType)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, sqlType);
        } else {
            statement.setObject(index, value, sqlType);
        }
    }

    @Override
    public Optional<Organization> organization(String organizationId) {
        return byKey("organization lookup", ORGANIZATION_BY_ID, PostgresDirectory::organization, organizationId);
    }

    @Override
    public Optional<Organization> organizationByAlias(String organizationAlias) {
        if (organizationAlias == null) {
            return Optional.empty();
        }
        List<Organization> found;
        Blocking.check("a database query");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(ORGANIZATIONS_BY_ALIAS)) {
            statement.setString(1, organizationAlias);
            found = new ArrayList<>(2);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    found.add(organization(row));
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw DatabaseFailures.of("organization lookup by alias", e);
        }
        if (found.size() > 1) {
            throw AuthException.forbidden("org_alias_ambiguous", "Multiple organizations found with alias="
                    + organizationAlias + ". Give each organization a unique organization_alias.");
        }
        return found.stream().findFirst();
    }

    @Override
    public Optional<EndUser> endUser(String endUserId) {
        return byKey("end user lookup", END_USER_BY_ID, PostgresDirectory::endUser, endUserId);
    }

    @Override
    public Optional<TeamMembership> membership(String teamId, String userId) {
        if (teamId == null || userId == null) {
            return Optional.empty();
        }
        return queryOne("team membership lookup", MEMBERSHIP, PostgresDirectory::membership, teamId, userId);
    }

    /** A lookup by one key; no key finds nothing, without asking the database. */
    private <T> Optional<T> byKey(String lookup, String sql, RowMapper<T> mapper, String key) {
        return key == null ? Optional.empty() : queryOne(lookup, sql, mapper, key);
    }

    private <T> Optional<T> queryOne(String lookup, String sql, RowMapper<T> mapper, String... parameters) {
        Blocking.check("a database query");
        try (Connection connection = dataSource.getConnection()) {
            return queryOne(connection, sql, mapper, parameters);
        } catch (SQLException | RuntimeException e) {
            throw DatabaseFailures.of(lookup, e);
        }
    }

    private static <T> Optional<T> queryOne(Connection connection, String sql, RowMapper<T> mapper,
                                            String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(mapper.map(row)) : Optional.empty();
            }
        }
    }

    private static Team team(ResultSet row) throws SQLException {
        return new Team(row.getString("team_id"), row.getString("team_alias"), row.getString("organization_id"),
                Columns.strings(row, "models"), Columns.nullableDouble(row, "max_budget"), row.getDouble("spend"),
                row.getBoolean("blocked"), Columns.jsonObject(row, "metadata"), modelAliases(row));
    }

    /**
     * The team's model aliases; an entry whose target is not a name is left out, so that its alias is decided as the
     * plain name it is.
     */
    private static Map<String, String> modelAliases(ResultSet row) throws SQLException {
        Map<String, String> aliases = new LinkedHashMap<>();
        Columns.jsonObject(row, "model_aliases").forEach((alias, target) -> {
            if (target instanceof String name && !name.isEmpty()) {
                aliases.put(alias, name);
            }
        });
        return aliases;
    }

    private static User user(ResultSet row) throws SQLException {
        return new User(row.getString("user_id"), row.getString("user_email"), row.getString("sso_user_id"),
                Columns.role(row, "user_role"), row.getString("organization_id"), Columns.strings(row, "teams"),
                Columns.strings(row, "models"), Columns.nullableDouble(row, "max_budget"), row.getDouble("spend"));
    }

    private static Organization organization(ResultSet row) throws SQLException {
        return new Organization(row.getString("organization_id"), row.getString("organization_alias"),
                Columns.strings(row, "models"), row.getDouble("spend"), budget(row));
    }

    private static EndUser endUser(ResultSet row) throws SQLException {
        return new EndUser(row.getString("user_id"), row.getString("alias"), row.getDouble("spend"),
                row.getBoolean("blocked"), budget(row));
    }

    private static TeamMembership membership(ResultSet row) throws SQLException {
        return new TeamMembership(row.getString("team_id"), row.getString("user_id"), row.getDouble("spend"),
                budget(row));
    }

    private static Budget budget(ResultSet row) throws SQLException {
        String budgetId = row.getString("budget_id");
        return budgetId == null ? null : new Budget(budgetId, Columns.nullableDouble(row, "max_budget"),
                Columns.nullableDouble(row, "soft_budget"));
    }

    /** Reads one row; may throw {@link SQLException} like the JDBC calls it makes. */
    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }
}
