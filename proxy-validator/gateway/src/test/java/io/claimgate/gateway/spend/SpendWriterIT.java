package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.gateway.store.EmbeddedDatabase;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SpendWriter}'s two paths (COPY, and INSERT when some of a batch was written before) against a real
 * PostgreSQL, through the gateway's pooled connections. Amounts are multiples of 1/1024 so that sums of doubles are
 * exact. The {@link Timeout} only guards against a hang.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpendWriterIT {

    private static final double UNIT = 1.0 / 1024;
    private static final Instant START = Instant.parse("2026-11-29T10:00:00.123456789Z");

    @TempDir
    static Path dataDirectory;

    private static EmbeddedDatabase server;
    private static Database database;

    private String team;
    private String user;
    private String organization;

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

    @BeforeEach
    void givenATeamWithAMemberInAnOrganization() {
        SpendOwners owners = SpendOwners.inserted(server.jdbcUrl());
        team = owners.team();
        user = owners.user();
        organization = owners.organization();
    }

    private SpendRecord record(String requestId, double spend) {
        return new SpendRecord(requestId, "acompletion", "gpt-4o", user, team, organization, null,
                new Usage(100, 20, 120), spend, START, START.plusMillis(1500));
    }

    @Test
    void writesOnlyTheNewIdsOfABatchPartlyWrittenBeforeAndCountsNothingTwice() throws SQLException {
        // given two of four requests written by an earlier flush whose commit answer was lost
        SpendRecord a = record("a-" + team, UNIT);
        SpendRecord b = record("b-" + team, 2 * UNIT);
        SpendRecord c = record("c-" + team, 4 * UNIT);
        SpendRecord d = record("d-" + team, 8 * UNIT);
        assertThat(write(List.of(a, c))).isEqualTo(2);

        // when the whole batch is written again, one of the new requests twice
        int written = write(List.of(a, b, c, d, b));

        // then only b and d are new, each booked once
        assertThat(written).isEqualTo(2);
        assertThat(logRows()).isEqualTo(4);
        for (SpendRecord r : List.of(a, b, c, d)) {
            assertThat(rowsWithId(r.requestId())).as(r.requestId()).isEqualTo(1);
        }
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(15 * UNIT);
        assertThat(spend("LiteLLM_UserTable", "user_id", user)).isEqualTo(15 * UNIT);
        assertThat(spend("LiteLLM_OrganizationTable", "organization_id", organization)).isEqualTo(15 * UNIT);
        assertThat(membershipSpend()).isEqualTo(15 * UNIT);
    }

    @Test
    void addsNothingWhenABatchIsRetriedAfterACommitWhoseAnswerWasLost() throws SQLException {
        List<SpendRecord> batch = List.of(record("x-" + team, 3 * UNIT), record("y-" + team, 5 * UNIT));
        write(batch);

        int again = write(batch);

        assertThat(again).isZero();
        assertThat(logRows()).isEqualTo(2);
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(8 * UNIT);
    }

    @Test
    void booksARequestRecordedTwiceInOneBatchAtItsFirstRecord() throws SQLException {
        String id = "twice-" + team;

        int written = write(List.of(record(id, UNIT), record(id, 64 * UNIT)));

        assertThat(written).isEqualTo(1);
        assertThat(rowsWithId(id)).isEqualTo(1);
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(UNIT);
        assertThat(spend("LiteLLM_SpendLogs", "request_id", id)).isEqualTo(UNIT);
    }

    @Test
    void roundTripsValuesThatTextFormatsWouldHaveToEscape() throws SQLException {
        // given owners and values holding every character COPY's text format or an array literal treats specially,
        // non-ASCII in several planes, and values far longer than one 64 KB chunk of the stream
        String awkward = "tab\there\nnew line\r\\N back\\slash \"double\" 'single' {a,b} é 中文 😀 ";
        String owner = awkward + UUID.randomUUID();
        SpendOwners.inserted(server.jdbcUrl(), "t " + owner, "u " + owner, "o " + owner);
        String longModel = "m".repeat(100_000) + awkward;
        String longUser = "u " + owner + "x".repeat(200_000);
        SpendOwners.inserted(server.jdbcUrl(), "t2 " + owner, longUser, "o2 " + owner);
        SpendRecord odd = new SpendRecord("r " + owner, "call\t" + awkward, awkward, "u " + owner, "t " + owner,
                "o " + owner, "e " + owner, new Usage(1, 2, 3), 3 * UNIT, START, START.plusMillis(7));
        SpendRecord long_ = new SpendRecord("r2 " + owner, "acompletion", longModel, longUser, "t2 " + owner,
                "o2 " + owner, "e2 " + owner + "é".repeat(900), new Usage(5, 6, 11), 5 * UNIT, START,
                START.plusMillis(9));

        // when
        int written = write(List.of(odd, long_));

        // then every value reads back exactly, and the spend reached the owners they name
        assertThat(written).isEqualTo(2);
        for (SpendRecord r : List.of(odd, long_)) {
            try (Connection c = database.dataSource().getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT call_type, model, model_group, \"user\", team_id, "
                         + "organization_id, end_user, prompt_tokens, completion_tokens, total_tokens, spend, "
                         + "request_duration_ms FROM \"LiteLLM_SpendLogs\" WHERE request_id = ?")) {
                s.setString(1, r.requestId());
                try (ResultSet row = s.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString(1)).isEqualTo(r.callType());
                    assertThat(row.getString(2)).isEqualTo(r.model());
                    assertThat(row.getString(3)).isEqualTo(r.model());
                    assertThat(row.getString(4)).isEqualTo(r.userId());
                    assertThat(row.getString(5)).isEqualTo(r.teamId());
                    assertThat(row.getString(6)).isEqualTo(r.organizationId());
                    assertThat(row.getString(7)).isEqualTo(r.endUserId());
                    assertThat(row.getLong(8)).isEqualTo(r.usage().promptTokens());
                    assertThat(row.getLong(9)).isEqualTo(r.usage().completionTokens());
                    assertThat(row.getLong(10)).isEqualTo(r.usage().totalTokens());
                    assertThat(row.getDouble(11)).isEqualTo(r.spend());
                    assertThat(row.getLong(12)).isEqualTo(r.endTime().toEpochMilli() - r.startTime().toEpochMilli());
                }
            }
        }
        assertThat(spend("LiteLLM_TeamTable", "team_id", "t " + owner)).isEqualTo(3 * UNIT);
        assertThat(spend("LiteLLM_UserTable", "user_id", longUser)).isEqualTo(5 * UNIT);
        assertThat(spend("LiteLLM_EndUserTable", "user_id", "e " + owner)).isEqualTo(3 * UNIT);
        assertThat(spend("LiteLLM_EndUserTable", "user_id", long_.endUserId())).isEqualTo(5 * UNIT);
    }

    @Test
    void writesTimesAsUtcRoundedToTheColumnsMilliseconds() throws SQLException {
        String id = "time-" + team;

        write(List.of(record(id, UNIT)));

        assertThat(text("SELECT to_char(\"startTime\", 'YYYY-MM-DD HH24:MI:SS.MS') || ' ' || "
                + "to_char(\"endTime\", 'YYYY-MM-DD HH24:MI:SS.MS') FROM \"LiteLLM_SpendLogs\" WHERE request_id = ?",
                id)).isEqualTo("2026-11-29 10:00:00.123 2026-11-29 10:00:01.623");
    }

    @Test
    void writesNoOwnerColumnsAsLiteLlmDoesAndCountsNoSpendForThem() throws SQLException {
        // given a request of a caller without user, team, organization or end user
        String id = "ownerless-" + team;
        SpendRecord ownerless = new SpendRecord(id, "acompletion", "gpt-4o", null, null, null, null,
                new Usage(1, 1, 2), 9 * UNIT, START, START);

        // when
        int written = write(List.of(ownerless));

        // then
        assertThat(written).isEqualTo(1);
        assertThat(text("SELECT concat_ws('|', quote_nullable(\"user\"), quote_nullable(team_id), "
                + "quote_nullable(organization_id), quote_nullable(end_user), status, metadata->>'recorded_by') "
                + "FROM \"LiteLLM_SpendLogs\" WHERE request_id = ?", id))
                .isEqualTo("''|NULL|NULL|NULL|success|claimgate");
        assertThat(count("SELECT count(*) FROM \"LiteLLM_EndUserTable\" WHERE user_id IS NULL OR user_id = ''"))
                .isZero();
    }

    @Test
    void refusesARequestIdHoldingNulBeforeSendingAnythingWithPostgresqlsOwnSqlState() throws SQLException {
        // (every other value has NUL replaced by SpendRecord already; request ids are the gateway's own)
        List<SpendRecord> batch = List.of(record("fine-" + team, UNIT), record("nul\u0000-" + team, UNIT));

        assertThatThrownBy(() -> write(batch))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22021"));
        assertThat(logRows()).isZero();
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isZero();
    }

    @Test
    void aLedgerDropsOnlyTheRecordHoldingNulAndNeverRetriesIt() throws SQLException {
        // given
        SpendLedger ledger = SpendLedger.manual(database.dataSource(), SpendSettings.defaults());
        ledger.record(record("before-" + team, UNIT));
        ledger.record(record("nul\u0000-" + team, 100 * UNIT));
        ledger.record(record("after-" + team, 2 * UNIT));

        // when
        boolean flushed = ledger.flush();
        ledger.record(record("next-" + team, 4 * UNIT));
        boolean flushedAgain = ledger.flush();

        // then
        assertThat(flushed).isTrue();
        assertThat(flushedAgain).isTrue();
        assertThat(ledger.droppedRecords()).isEqualTo(1);
        assertThat(ledger.pendingRecords()).isZero();
        assertThat(logRows()).isEqualTo(3);
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(7 * UNIT);
    }

    @Test
    void booksTheSpendOfARequestWhoseEndUserIsTooLongToIndexWithoutThatEndUser() throws SQLException {
        // given an end user id (from the request body's 'user') too long and too random for a btree index entry,
        // which would otherwise fail every flush of its batch, forever
        SpendLedger ledger = SpendLedger.manual(database.dataSource(), SpendSettings.defaults());
        String longEndUser = randomText(3000);
        String id = "long-end-user-" + team;
        ledger.record(record("before-" + team, UNIT));
        ledger.record(new SpendRecord(id, "acompletion", "gpt-4o", user, team, organization, longEndUser,
                new Usage(1, 1, 2), 2 * UNIT, START, START));

        // when
        boolean flushed = ledger.flush();

        // then the team, user and organization are charged; no end user can be, no row of it can exist
        assertThat(flushed).isTrue();
        assertThat(ledger.pendingRecords()).isZero();
        assertThat(ledger.droppedRecords()).isZero();
        assertThat(logRows()).isEqualTo(2);
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(3 * UNIT);
        assertThat(spend("LiteLLM_UserTable", "user_id", user)).isEqualTo(3 * UNIT);
        assertThat(text("SELECT quote_nullable(end_user) FROM \"LiteLLM_SpendLogs\" WHERE request_id = ?", id))
                .isEqualTo("NULL");
        assertThat(spend("LiteLLM_EndUserTable", "user_id", longEndUser)).isNull();
    }

    @Test
    void aLedgerDropsOnlyARecordWhoseRequestIdIsTooLongToIndex() throws SQLException {
        SpendLedger ledger = SpendLedger.manual(database.dataSource(), SpendSettings.defaults());
        ledger.record(record("short-" + team, UNIT));
        ledger.record(record(randomText(3000), 100 * UNIT));

        boolean flushed = ledger.flush();

        assertThat(flushed).isTrue();
        assertThat(ledger.pendingRecords()).isZero();
        assertThat(ledger.droppedRecords()).isEqualTo(1);
        assertThat(logRows()).isEqualTo(1);
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(UNIT);
    }

    @Test
    void aFailureInTheMiddleOfTheCopyLeavesNoRowOfTheBatch() throws SQLException {
        // given a batch of several 64 KB chunks whose last row the database refuses, after the first chunks were sent
        String marker = "refuse-" + team;
        TestPostgres.execute(server.jdbcUrl(),
                "CREATE OR REPLACE FUNCTION refuse_marked() RETURNS trigger AS $$ BEGIN "
                        + "RAISE EXCEPTION 'refused' USING ERRCODE = '22023'; END $$ LANGUAGE plpgsql",
                "CREATE OR REPLACE TRIGGER refuse_marked BEFORE INSERT ON \"LiteLLM_SpendLogs\" FOR EACH ROW "
                        + "WHEN (NEW.request_id LIKE 'refuse-%') EXECUTE FUNCTION refuse_marked()");
        try {
            List<SpendRecord> batch = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                batch.add(new SpendRecord("ok-" + i + "-" + team, "acompletion", "gpt-4o", user, team,
                        organization, "customer-" + team, new Usage(1, 1, 2), UNIT, START, START));
            }
            batch.add(record(marker, UNIT));

            // when
            assertThatThrownBy(() -> write(batch))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));

            // then nothing of it: no log row, no increment, no end user
            assertThat(logRows()).isZero();
            assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isZero();
            assertThat(spend("LiteLLM_EndUserTable", "user_id", "customer-" + team)).isNull();
        } finally {
            TestPostgres.execute(server.jdbcUrl(), "DROP TRIGGER refuse_marked ON \"LiteLLM_SpendLogs\"");
        }
        // and the pooled connection writes the next batch
        assertThat(write(List.of(record("later-" + team, UNIT)))).isEqualTo(1);
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(UNIT);
    }

    @Test
    void aFailureOfTheIncrementsAfterTheCopyLeavesNoLogRow() throws SQLException {
        // given a database that refuses the team's increment
        TestPostgres.execute(server.jdbcUrl(),
                "CREATE OR REPLACE FUNCTION refuse_team_spend() RETURNS trigger AS $$ BEGIN "
                        + "RAISE EXCEPTION 'refused' USING ERRCODE = '40001'; END $$ LANGUAGE plpgsql",
                "CREATE OR REPLACE TRIGGER refuse_team_spend BEFORE UPDATE ON \"LiteLLM_TeamTable\" FOR EACH ROW "
                        + "WHEN (NEW.team_id = " + literal(team) + ") EXECUTE FUNCTION refuse_team_spend()");
        try {
            // when
            assertThatThrownBy(() -> write(List.of(record("copied-" + team, UNIT))))
                    .isInstanceOf(SQLException.class);

            // then
            assertThat(logRows()).isZero();
            assertThat(spend("LiteLLM_UserTable", "user_id", user)).isZero();
        } finally {
            TestPostgres.execute(server.jdbcUrl(), "DROP TRIGGER refuse_team_spend ON \"LiteLLM_TeamTable\"");
        }
    }

    @Test
    void leavesThePooledConnectionsAutoCommitAsItFoundIt() throws SQLException {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(true);
            SpendWriter.write(c, List.of(record("auto-" + team, UNIT)));
            assertThat(c.getAutoCommit()).isTrue();
            SpendWriter.write(c, List.of(record("auto-" + team, UNIT)));
            assertThat(c.getAutoCommit()).as("after the fallback too").isTrue();
        }
    }

    private static int write(List<SpendRecord> batch) throws SQLException {
        try (Connection c = database.dataSource().getConnection()) {
            return SpendWriter.write(c, batch);
        }
    }

    private long logRows() throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT count(*) FROM \"LiteLLM_SpendLogs\" WHERE team_id = ?")) {
            s.setString(1, team);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static long rowsWithId(String requestId) throws SQLException {
        return Long.parseLong(text("SELECT count(*)::text FROM \"LiteLLM_SpendLogs\" WHERE request_id = ?",
                requestId));
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet row = s.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private Double membershipSpend() throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT spend FROM \"LiteLLM_TeamMembership\" WHERE team_id = ? AND user_id = ?")) {
            s.setString(1, team);
            s.setString(2, user);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? row.getDouble(1) : null;
            }
        }
    }

    private static Double spend(String table, String idColumn, String id) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT spend FROM \"" + table + "\" WHERE " + idColumn + " = ?")) {
            s.setString(1, id);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? row.getDouble(1) : null;
            }
        }
    }

    private static String text(String sql, String parameter) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** Letters and digits that no compression shrinks much. */
    private static String randomText(int length) {
        java.util.Random random = new java.util.Random(length);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".charAt(random.nextInt(62)));
        }
        return text.toString();
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
