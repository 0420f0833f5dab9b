package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.model.ProxyRole;
import io.claimgate.model.User;
import io.claimgate.model.UserSync;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code sync_user_role_and_teams} writes into LiteLLM's tables, in a real PostgreSQL. */
class UserSyncIT {

    private String jdbcUrl;
    private Database database;
    private PostgresDirectory directory;

    @BeforeEach
    void startDatabase() {
        jdbcUrl = TestPostgres.freshDatabase();
        database = Database.open(DatabaseSettings.of(jdbcUrl));
        directory = new PostgresDirectory(database.dataSource());
        TestPostgres.execute(jdbcUrl,
                // 'old' lists alice as LiteLLM's /team/member_add does; 'fresh' has the column's default, '{}'.
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id, models, members_with_roles) VALUES"
                        + " ('old', '{}', '[{\"role\": \"admin\", \"user_id\": \"bob\"},"
                        + " {\"role\": \"user\", \"user_id\": \"alice\"}]'),"
                        + " ('new', '{}', '[{\"role\": \"user\", \"user_id\": \"bob\"}]')",
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id, models) VALUES ('fresh', '{}')",
                "INSERT INTO \"LiteLLM_UserTable\" (user_id, user_role, teams, models) VALUES"
                        + " ('alice', 'internal_user', '{old}', '{}')",
                "INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend) VALUES ('alice', 'old', 3),"
                        + " ('bob', 'old', 1)");
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void writesTheRoleAndMovesTheUserBetweenTeamsAsLiteLlmsMemberAddAndDeleteDo() throws SQLException {
        User alice = directory.user("alice", null).orElseThrow();

        User synced = directory.syncUser(alice, new UserSync("alice", ProxyRole.PROXY_ADMIN_VIEWER,
                List.of("new", "fresh", "missing"), List.of("old")));

        assertThat(synced.userRole()).isEqualTo(ProxyRole.PROXY_ADMIN_VIEWER);
        assertThat(synced.teams()).as("a team that does not exist is skipped").containsExactly("new", "fresh");
        assertThat(members("new")).isEqualTo("bob:user,alice:user");
        assertThat(members("fresh")).isEqualTo("alice:user");
        assertThat(members("old")).as("only alice leaves").isEqualTo("bob:admin");
        assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamMembership\" WHERE user_id = 'alice'")).isZero();
        assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamMembership\" WHERE user_id = 'bob'")).isOne();
        assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamTable\" WHERE team_id = 'missing'")).isZero();
    }

    @Test
    void addingAUserWhoIsAlreadyAMemberListsItOnce() throws SQLException {
        TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_UserTable\" SET teams = '{}' WHERE user_id = 'alice'");
        User alice = directory.user("alice", null).orElseThrow();

        User synced = directory.syncUser(alice, new UserSync("alice", null, List.of("old"), List.of()));

        assertThat(synced.teams()).containsExactly("old");
        assertThat(synced.userRole()).isEqualTo(ProxyRole.INTERNAL_USER);
        assertThat(members("old")).isEqualTo("bob:admin,alice:user");
    }

    @Test
    void aUserDeletedMeanwhileIsLeftAsGiven() throws SQLException {
        User alice = directory.user("alice", null).orElseThrow();
        TestPostgres.execute(jdbcUrl, "DELETE FROM \"LiteLLM_UserTable\" WHERE user_id = 'alice'");

        User synced = directory.syncUser(alice, new UserSync("alice", ProxyRole.PROXY_ADMIN, List.of("new"),
                List.of()));

        assertThat(synced).isEqualTo(alice);
        assertThat(members("new")).isEqualTo("bob:user");
        assertThat(count("SELECT count(*) FROM \"LiteLLM_UserTable\"")).isZero();
    }

    private String members(String teamId) throws SQLException {
        return single("SELECT coalesce(string_agg(m->>'user_id' || ':' || (m->>'role'), ',' ORDER BY ord), '')"
                + " FROM \"LiteLLM_TeamTable\" t, jsonb_array_elements(CASE WHEN jsonb_typeof(t.members_with_roles)"
                + " = 'array' THEN t.members_with_roles ELSE '[]'::jsonb END) WITH ORDINALITY AS e(m, ord)"
                + " WHERE t.team_id = '" + teamId + "'");
    }

    private long count(String sql) throws SQLException {
        return Long.parseLong(single(sql));
    }

    private String single(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            assertThat(row.next()).isTrue();
            return row.getString(1);
        }
    }
}
