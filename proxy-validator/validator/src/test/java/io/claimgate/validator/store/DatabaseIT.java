package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseIT {

    @Nested
    class Migrations {

        @Test
        void createLiteLlmsTablesInAnEmptyDatabase() throws Exception {
            String url = TestPostgres.freshDatabase();

            try (Database database = Database.open(url)) {
                assertThat(tables(database)).contains("LiteLLM_TeamTable", "LiteLLM_UserTable",
                        "LiteLLM_OrganizationTable", "LiteLLM_EndUserTable", "LiteLLM_BudgetTable",
                        "LiteLLM_SpendLogs", "LiteLLM_TeamMembership", "LiteLLM_ModelTable", "claimgate_spend_flushes",
                        Schema.HISTORY_TABLE);
                // V1 (directory tables), V2 (spend tables), V3 (change-notice triggers), V4 (team model aliases),
                // V5 (spend flush markers), V6 (spend-only change notices)
                assertThat(count(database, "SELECT count(*) FROM " + Schema.HISTORY_TABLE + " WHERE success"))
                        .isEqualTo(6);
            }
        }

        @Test
        void applyOnceAndLeaveAMigratedDatabaseAsItIs() throws Exception {
            String url = TestPostgres.freshDatabase();
            Database.open(url).close();
            TestPostgres.execute(url, "INSERT INTO \"LiteLLM_TeamTable\" (team_id) VALUES ('kept')");

            try (Database database = Database.open(url)) {
                // V1 to V6, each applied once
                assertThat(count(database, "SELECT count(*) FROM " + Schema.HISTORY_TABLE)).isEqualTo(6);
                assertThat(new PostgresDirectory(database.dataSource()).team("kept")).isPresent();
            }
        }

        @Test
        void refuseADatabaseLiteLlmManagesAndPointToMigrationsOff() {
            String url = TestPostgres.freshDatabase();
            TestPostgres.execute(url, "CREATE TABLE \"LiteLLM_TeamTable\" (team_id TEXT PRIMARY KEY)");

            assertThatThrownBy(() -> Database.open(url))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("LiteLLM_TeamTable")
                    .hasMessageContaining("withMigrate(false)");
        }

        @Test
        void acceptALiteLlmStyleDatabaseUrl() {
            String database = TestPostgres.freshDatabase().replaceAll(".*/([^/?]+)\\?.*", "$1");
            String url = "postgresql://postgres@localhost:" + TestPostgres.server().getPort() + "/" + database;

            try (Database opened = Database.open(url)) {
                assertThat(new PostgresDirectory(opened.dataSource()).team("none")).isEmpty();
            }
        }
    }

    @Nested
    class MigrationsOff {

        @Test
        void useAnExistingSchemaWithoutWritingToIt() throws Exception {
            String url = TestPostgres.freshDatabase();
            createLiteLlmTablesByHand(url);

            try (Database database = Database.open(DatabaseSettings.of(url).withMigrate(false))) {
                assertThat(tables(database)).doesNotContain(Schema.HISTORY_TABLE);
                assertThat(new PostgresDirectory(database.dataSource()).team("team-1")).isPresent();
            }
        }

        @Test
        void readAndUpsertRowsOfALiteLlmSchemaWithColumnsClaimgateDoesNotKnow() throws Exception {
            String url = TestPostgres.freshDatabase();
            createLiteLlmTablesByHand(url);
            // Columns of LiteLLM's that Claimgate neither creates nor reads, some required.
            TestPostgres.execute(url,
                    "ALTER TABLE \"LiteLLM_UserTable\" ADD COLUMN \"password\" TEXT,"
                            + " ADD COLUMN \"allowed_cache_controls\" TEXT[] DEFAULT ARRAY[]::TEXT[],"
                            + " ADD COLUMN \"policies\" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[]",
                    "ALTER TABLE \"LiteLLM_TeamTable\" ADD COLUMN \"router_settings\" JSONB DEFAULT '{}',"
                            + " ADD COLUMN \"allow_team_guardrail_config\" BOOLEAN NOT NULL DEFAULT false");

            try (Database database = Database.open(DatabaseSettings.of(url).withMigrate(false))) {
                PostgresDirectory directory = new PostgresDirectory(database.dataSource());

                assertThat(directory.team("team-1")).isPresent();
                assertThat(directory.createUserIfAbsent("new-user", "new@example.com", null).userId())
                        .isEqualTo("new-user");
                assertThat(directory.user(null, "NEW@example.com")).isPresent();
            }
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "DROP TABLE \"LiteLLM_EndUserTable\"                   | table \"LiteLLM_EndUserTable\"",
            "ALTER TABLE \"LiteLLM_EndUserTable\" DROP COLUMN blocked | column \"LiteLLM_EndUserTable\".\"blocked\"",
            "ALTER TABLE \"LiteLLM_UserTable\" DROP COLUMN sso_user_id | column \"LiteLLM_UserTable\".\"sso_user_id\""})
        void nameWhatIsMissing(String change, String missing) {
            String url = TestPostgres.freshDatabase();
            createLiteLlmTablesByHand(url);
            TestPostgres.execute(url, change);

            assertThatThrownBy(() -> Database.open(DatabaseSettings.of(url).withMigrate(false)))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining(missing)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("table \"LiteLLM_TeamTable\""));
        }

        @Test
        void nameEveryTableOfAnEmptyDatabase() {
            String url = TestPostgres.freshDatabase();

            assertThatThrownBy(() -> Database.open(DatabaseSettings.of(url).withMigrate(false)))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("table \"LiteLLM_TeamTable\"")
                    .hasMessageContaining("table \"LiteLLM_BudgetTable\"");
        }
    }

    @Test
    void reportsPoolUsage() throws Exception {
        try (Database database = Database.open(TestPostgres.freshDatabase())) {
            try (Connection held = database.dataSource().getConnection()) {
                assertThat(database.activeConnections()).isEqualTo(1);
                assertThat(database.totalConnections()).isGreaterThanOrEqualTo(1);
                assertThat(database.idleConnections()).isEqualTo(database.totalConnections() - 1);
                assertThat(database.pendingThreads()).isZero();
            }
            assertThat(database.activeConnections()).isZero();
        }
    }

    /** LiteLLM's tables as LiteLLM's own migrations made them, without Claimgate's history table. */
    private static void createLiteLlmTablesByHand(String url) {
        Database.open(url).close();
        TestPostgres.execute(url, "DROP TABLE " + Schema.HISTORY_TABLE,
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id) VALUES ('team-1')");
    }

    private static List<String> tables(Database database) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    private static long count(Database database, String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
