package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Users created on first sight with {@code default_internal_user_params}, in LiteLLM's table in a real PostgreSQL. */
class UserDefaultsIT {

    private static final DefaultUserParams DEFAULTS = new DefaultUserParams(ProxyRole.INTERNAL_USER_VIEWER,
            List.of("gpt-4o-mini"), 20.0, "30d", 1000L, 10L, List.of("research"));

    private static String jdbcUrl;
    private static Database database;
    private static PostgresDirectory directory;

    @BeforeAll
    static void startDatabase() {
        jdbcUrl = TestPostgres.freshDatabase();
        database = Database.open(DatabaseSettings.of(jdbcUrl));
        directory = new PostgresDirectory(database.dataSource());
        TestPostgres.execute(jdbcUrl, "INSERT INTO \"LiteLLM_UserTable\" (user_id, user_role, models, max_budget)"
                + " VALUES ('alice', 'proxy_admin', '{}', NULL)");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void createsANewUserWithTheDefaultRoleModelsBudgetLimitsAndTeams() throws SQLException {
        User created = directory.createUserWithDefaults("carol", "carol@example.com", DEFAULTS);

        assertThat(created.userRole()).isEqualTo(ProxyRole.INTERNAL_USER_VIEWER);
        assertThat(created.models()).containsExactly("gpt-4o-mini");
        assertThat(created.maxBudget()).isEqualTo(20.0);
        assertThat(created.teams()).containsExactly("research");
        assertThat(created.userEmail()).isEqualTo("carol@example.com");
        assertThat(row("carol")).isEqualTo("30d|1000|10|null");
    }

    @Test
    void createsAnInternalUserWithAllModelsAndNoBudgetWithoutDefaults() throws SQLException {
        User created = directory.createUserWithDefaults("dave", null, DefaultUserParams.NONE);

        assertThat(created.userRole()).isEqualTo(ProxyRole.INTERNAL_USER);
        assertThat(created.models()).isEmpty();
        assertThat(created.maxBudget()).isNull();
        assertThat(created.teams()).isEmpty();
        assertThat(row("dave")).isEqualTo("null|null|null|null");
    }

    @Test
    void leavesAnExistingUserAsItIs() {
        User before = directory.user("alice", null).orElseThrow();

        User returned = directory.createUserWithDefaults("alice", "alice@example.com", DEFAULTS);

        assertThat(returned).isEqualTo(before);
        assertThat(returned.userRole()).isEqualTo(ProxyRole.PROXY_ADMIN);
        assertThat(returned.maxBudget()).isNull();
    }

    @Test
    void aCachedDirectoryFindsTheUserItJustCreatedWithItsDefaults() {
        CachedDirectory cached = new CachedDirectory(directory);
        assertThat(cached.user("erin", null)).isEmpty();

        cached.createUserWithDefaults("erin", null, DEFAULTS);

        assertThat(cached.user("erin", null)).hasValueSatisfying(user -> {
            assertThat(user.models()).containsExactly("gpt-4o-mini");
            assertThat(user.maxBudget()).isEqualTo(20.0);
        });
    }

    /** The columns the user record does not carry: budget_duration|tpm_limit|rpm_limit|budget_reset_at. */
    private static String row(String userId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT budget_duration, tpm_limit, rpm_limit, budget_reset_at"
                     + " FROM \"LiteLLM_UserTable\" WHERE user_id = '" + userId + "'")) {
            assertThat(row.next()).isTrue();
            return row.getString(1) + "|" + row.getString(2) + "|" + row.getString(3) + "|" + row.getString(4);
        }
    }
}
