package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.store.EmbeddedDatabase;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BudgetResetIT {

    /** A Wednesday. */
    private static final Instant NOW = Instant.parse("2026-11-25T10:17:42Z");

    @TempDir
    static Path dataDirectory;

    private static EmbeddedDatabase server;
    private static Database database;

    private final BudgetReset reset = BudgetReset.manual(database(), Clock.fixed(NOW, ZoneOffset.UTC),
            ZoneOffset.UTC);
    private String id;

    @BeforeAll
    static void startDatabase() {
        server = EmbeddedDatabase.start(dataDirectory, 0);
        database = Database.open(server.jdbcUrl());
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
        server.close();
    }

    private static javax.sql.DataSource database() {
        return database.dataSource();
    }

    @BeforeEach
    void emptyTables() {
        id = UUID.randomUUID().toString().substring(0, 8);
        TestPostgres.execute(server.jdbcUrl(), "TRUNCATE \"LiteLLM_TeamTable\", \"LiteLLM_UserTable\", "
                + "\"LiteLLM_EndUserTable\", \"LiteLLM_TeamMembership\", \"LiteLLM_OrganizationTable\", "
                + "\"LiteLLM_BudgetTable\" CASCADE");
    }

    @Test
    void resetsTeamsAndUsersWhoseResetTimePassedAndSetsTheirNextReset() throws SQLException {
        // given
        TestPostgres.execute(server.jdbcUrl(),
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id, spend, budget_duration, budget_reset_at) VALUES "
                        + "('due', 12.5, '1d', '2026-11-25 00:00:00'), "
                        + "('later', 3, '1d', '2026-11-26 00:00:00'), "
                        + "('forever', 7, NULL, '2026-11-01 00:00:00')",
                "INSERT INTO \"LiteLLM_UserTable\" (user_id, spend, budget_duration, budget_reset_at) VALUES "
                        + "('alice', 4, '30d', '2026-11-01 00:00:00')");

        // when
        Optional<Integer> count = reset.runOnce();

        // then
        assertThat(count).contains(2);
        assertThat(row("LiteLLM_TeamTable", "team_id", "due")).isEqualTo("0 2026-11-26 00:00:00");
        assertThat(row("LiteLLM_TeamTable", "team_id", "later")).isEqualTo("3 2026-11-26 00:00:00");
        assertThat(row("LiteLLM_TeamTable", "team_id", "forever")).isEqualTo("7 2026-11-01 00:00:00");
        assertThat(row("LiteLLM_UserTable", "user_id", "alice")).isEqualTo("0 2026-12-01 00:00:00");
    }

    @Test
    void resetsEndUsersMembersAndOrganizationsThroughTheirBudgetRow() throws SQLException {
        // given a budget of 7d that expired and one that did not
        TestPostgres.execute(server.jdbcUrl(),
                "INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, budget_duration, budget_reset_at, created_by, "
                        + "updated_by) VALUES ('weekly', '7d', '2026-11-23 00:00:00', 't', 't'), "
                        + "('fresh', '7d', '2026-11-30 00:00:00', 't', 't')",
                "INSERT INTO \"LiteLLM_EndUserTable\" (user_id, spend, budget_id) VALUES ('c1', 5, 'weekly'), "
                        + "('c2', 5, 'fresh')",
                "INSERT INTO \"LiteLLM_OrganizationTable\" (organization_id, organization_alias, budget_id, spend, "
                        + "created_by, updated_by) VALUES ('org', 'o', 'weekly', 9, 't', 't')",
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id) VALUES ('t1')",
                "INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend, budget_id) VALUES "
                        + "('alice', 't1', 2, 'weekly')");

        // when
        reset.runOnce();

        // then
        assertThat(single("SELECT spend FROM \"LiteLLM_EndUserTable\" WHERE user_id = 'c1'")).isEqualTo("0");
        assertThat(single("SELECT spend FROM \"LiteLLM_EndUserTable\" WHERE user_id = 'c2'")).isEqualTo("5");
        assertThat(single("SELECT spend FROM \"LiteLLM_OrganizationTable\" WHERE organization_id = 'org'"))
                .isEqualTo("0");
        assertThat(single("SELECT spend FROM \"LiteLLM_TeamMembership\" WHERE user_id = 'alice'")).isEqualTo("0");
        assertThat(single("SELECT to_char(budget_reset_at, 'YYYY-MM-DD HH24:MI:SS') FROM \"LiteLLM_BudgetTable\" "
                + "WHERE budget_id = 'weekly'")).as("next Monday").isEqualTo("2026-11-30 00:00:00");
    }

    @Test
    void givesARowWithADurationButNoResetTimeOneWithoutTouchingItsSpend() throws SQLException {
        TestPostgres.execute(server.jdbcUrl(), "INSERT INTO \"LiteLLM_TeamTable\" (team_id, spend, budget_duration) "
                + "VALUES ('new', 6, '1h')");

        Optional<Integer> count = reset.runOnce();

        assertThat(count).contains(0);
        assertThat(row("LiteLLM_TeamTable", "team_id", "new")).isEqualTo("6 2026-11-25 11:00:00");
    }

    @Test
    void doesNothingWhileAnotherReplicaHoldsTheLockAndResetsOnceItIsFree() throws SQLException {
        // given another replica in the middle of its reset
        TestPostgres.execute(server.jdbcUrl(), "INSERT INTO \"LiteLLM_TeamTable\" (team_id, spend, budget_duration, "
                + "budget_reset_at) VALUES ('due', 1, '1d', '2026-11-25 00:00:00')");
        Optional<Integer> whileHeld;
        try (Connection other = database().getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + BudgetReset.ADVISORY_LOCK + ")");
            }

            // when
            whileHeld = reset.runOnce();
            other.rollback();
        }
        Optional<Integer> afterwards = reset.runOnce();

        // then
        assertThat(whileHeld).isEmpty();
        assertThat(afterwards).contains(1);
        assertThat(row("LiteLLM_TeamTable", "team_id", "due")).startsWith("0 ");
    }

    @Test
    void skipsADurationLiteLlmRefusesAndResetsTheRest() throws SQLException {
        TestPostgres.execute(server.jdbcUrl(), "INSERT INTO \"LiteLLM_TeamTable\" (team_id, spend, budget_duration, "
                + "budget_reset_at) VALUES ('odd', 1, '2mo', '2026-11-01 00:00:00'), "
                + "('ok', 1, '1d', '2026-11-01 00:00:00')");

        Optional<Integer> count = reset.runOnce();

        assertThat(count).contains(1);
        assertThat(row("LiteLLM_TeamTable", "team_id", "odd")).isEqualTo("1 2026-11-01 00:00:00");
    }

    private String row(String table, String idColumn, String rowId) throws SQLException {
        return single("SELECT spend || ' ' || to_char(budget_reset_at, 'YYYY-MM-DD HH24:MI:SS') FROM \"" + table
                + "\" WHERE " + idColumn + " = '" + rowId + "'");
    }

    private static String single(String sql) throws SQLException {
        try (Connection c = database().getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet row = s.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }
}
