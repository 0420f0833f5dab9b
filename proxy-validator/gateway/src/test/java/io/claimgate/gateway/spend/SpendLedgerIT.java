package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.store.EmbeddedDatabase;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.DatabaseSettings;
import io.claimgate.validator.store.TcpProxy;
import io.claimgate.validator.store.TestPostgres;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger against a real PostgreSQL with the project's migrations. Amounts are multiples of 1/1024 so that sums of
 * doubles are exact and "exactly" can be asserted with equality. The {@link Timeout} only guards against a hang.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpendLedgerIT {

    private static final double UNIT = 1.0 / 1024;
    private static final Instant START = Instant.parse("2026-11-29T10:00:00.123Z");

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

    private SpendRecord record(String requestId, double spend, String endUser) {
        return new SpendRecord(requestId, "acompletion", "gpt-4o", user, team, organization, endUser,
                new Usage(100, 20, 120), spend, START, START.plusMillis(1500));
    }

    private SpendRecord record(double spend) {
        return record(UUID.randomUUID().toString(), spend, null);
    }

    @Test
    void writesOneLogRowPerRequestAndAddsTheSpendToEveryOwner() throws SQLException {
        // given
        SpendLedger ledger = SpendLedger.manual(database.dataSource(), SpendSettings.defaults());
        String endUser = "customer-" + team;
        ledger.record(record("req-a-" + team, 3 * UNIT, endUser));
        ledger.record(record("req-b-" + team, 5 * UNIT, endUser));

        // when
        boolean flushed = ledger.flush();

        // then
        assertThat(flushed).isTrue();
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(8 * UNIT);
        assertThat(spend("LiteLLM_UserTable", "user_id", user)).isEqualTo(8 * UNIT);
        assertThat(spend("LiteLLM_OrganizationTable", "organization_id", organization)).isEqualTo(8 * UNIT);
        assertThat(spend("LiteLLM_EndUserTable", "user_id", endUser)).isEqualTo(8 * UNIT);
        assertThat(membershipSpend()).isEqualTo(8 * UNIT);
        assertThat(ledger.writtenRecords()).isEqualTo(2);
        assertThat(ledger.pendingRecords()).isZero();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT call_type, model, model_group, \"user\", team_id, "
                     + "organization_id, end_user, prompt_tokens, completion_tokens, total_tokens, spend, "
                     + "to_char(\"startTime\", 'YYYY-MM-DD HH24:MI:SS.MS'), request_duration_ms, api_key, "
                     + "metadata->>'recorded_by', messages::text FROM \"LiteLLM_SpendLogs\" WHERE request_id = ?")) {
            s.setString(1, "req-a-" + team);
            try (ResultSet row = s.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("acompletion");
                assertThat(row.getString(2)).isEqualTo("gpt-4o");
                assertThat(row.getString(3)).isEqualTo("gpt-4o");
                assertThat(row.getString(4)).isEqualTo(user);
                assertThat(row.getString(5)).isEqualTo(team);
                assertThat(row.getString(6)).isEqualTo(organization);
                assertThat(row.getString(7)).isEqualTo(endUser);
                assertThat(row.getInt(8)).isEqualTo(100);
                assertThat(row.getInt(9)).isEqualTo(20);
                assertThat(row.getInt(10)).isEqualTo(120);
                assertThat(row.getDouble(11)).isEqualTo(3 * UNIT);
                assertThat(row.getString(12)).as("UTC, whatever the JVM's zone").isEqualTo("2026-11-29 10:00:00.123");
                assertThat(row.getInt(13)).isEqualTo(1500);
                assertThat(row.getString(14)).as("no key, no token").isEmpty();
                assertThat(row.getString(15)).isEqualTo("claimgate");
                assertThat(row.getString(16)).as("never the prompt").isEqualTo("{}");
            }
        }
    }

    @Test
    void booksARequestRecordedTwiceOnlyOnce() throws SQLException {
        SpendLedger ledger = SpendLedger.manual(database.dataSource(), SpendSettings.defaults());
        SpendRecord once = record("req-once-" + team, 7 * UNIT, null);

        ledger.record(once);
        ledger.record(once);
        ledger.flush();
        ledger.record(once);
        ledger.flush();

        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(7 * UNIT);
        assertThat(logRows()).isEqualTo(1);
        assertThat(ledger.writtenRecords()).isEqualTo(1);
    }

    @Test
    void leavesMissingRowsUncreatedExceptEndUsers() throws SQLException {
        SpendLedger ledger = SpendLedger.manual(database.dataSource(), SpendSettings.defaults());
        TestPostgres.execute(server.jdbcUrl(), "DELETE FROM \"LiteLLM_TeamMembership\" WHERE team_id = '" + team + "'");

        ledger.record(record(UNIT));
        ledger.flush();

        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(UNIT);
        assertThat(membershipSpend()).as("membership not created").isNull();
    }

    @Test
    void sumsExactlyWhatManyThreadsRecordAtOnce() throws Exception {
        // given a ledger flushing on its own every 50 ms while 16 threads record
        SpendLedger ledger = SpendLedger.start(database.dataSource(),
                SpendSettings.defaults().withFlushInterval(Duration.ofMillis(50)));
        int threads = 16;
        int each = 250;

        // when
        runConcurrently(threads, t -> {
            for (int i = 0; i < each; i++) {
                ledger.record(record((1 + (i % 4)) * UNIT));
            }
        });
        ledger.close();

        // then
        long unitsPerThread = 0;
        for (int i = 0; i < each; i++) {
            unitsPerThread += 1 + (i % 4);
        }
        double expected = threads * unitsPerThread * UNIT;
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(expected);
        assertThat(membershipSpend()).isEqualTo(expected);
        assertThat(logRows()).isEqualTo(threads * each);
        assertThat(ledger.writtenRecords()).isEqualTo(threads * each);
    }

    @Test
    void twoReplicasOnOneDatabaseSumExactly() throws Exception {
        // given two gateways, each with its own pool and ledger, flushing every 20 ms into the same rows
        try (Database second = Database.open(server.jdbcUrl())) {
            SpendLedger a = SpendLedger.start(database.dataSource(),
                    SpendSettings.defaults().withFlushInterval(Duration.ofMillis(20)));
            SpendLedger b = SpendLedger.start(second.dataSource(),
                    SpendSettings.defaults().withFlushInterval(Duration.ofMillis(20)));

            // when each records 1,000 requests from 4 threads
            runConcurrently(8, t -> {
                SpendLedger ledger = t % 2 == 0 ? a : b;
                for (int i = 0; i < 250; i++) {
                    ledger.record(record(3 * UNIT));
                }
            });
            a.close();
            b.close();

            // then
            assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(2000 * 3 * UNIT);
            assertThat(spend("LiteLLM_UserTable", "user_id", user)).isEqualTo(2000 * 3 * UNIT);
            assertThat(spend("LiteLLM_OrganizationTable", "organization_id", organization))
                    .isEqualTo(2000 * 3 * UNIT);
            assertThat(logRows()).isEqualTo(2000);
            assertThat(a.failedFlushes() + b.failedFlushes()).as("no deadlock, no refused flush").isZero();
        }
    }

    @Test
    void keepsSpendThroughADatabaseOutageAndWritesItWhenTheDatabaseIsBack() throws Exception {
        try (TcpProxy link = new TcpProxy(server.port());
             Database throughLink = Database.open(DatabaseSettings.of(
                     "jdbc:postgresql://localhost:" + link.port() + "/postgres?user=postgres")
                     .withMaximumPoolSize(2))) {
            // given
            SpendLedger ledger = SpendLedger.manual(throughLink.dataSource(), SpendSettings.defaults());
            ledger.record(record(UNIT));
            assertThat(ledger.flush()).isTrue();

            // when the database goes away while requests keep being answered
            link.cut();
            for (int i = 0; i < 10; i++) {
                ledger.record(record(2 * UNIT));
            }
            boolean flushedDuringOutage = ledger.flush();
            for (int i = 0; i < 10; i++) {
                ledger.record(record(4 * UNIT));
            }
            long pendingDuringOutage = ledger.pendingRecords();
            double spendDuringOutage = spend("LiteLLM_TeamTable", "team_id", team);
            // and comes back
            link.restore();
            boolean flushedAfter = false;
            for (int attempt = 0; attempt < 50 && !flushedAfter; attempt++) {
                flushedAfter = ledger.flush();
                if (!flushedAfter) {
                    Thread.sleep(200);
                }
            }

            // then
            assertThat(flushedDuringOutage).isFalse();
            assertThat(pendingDuringOutage).isEqualTo(20);
            assertThat(spendDuringOutage).isEqualTo(UNIT);
            assertThat(flushedAfter).isTrue();
            assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo((1 + 20 + 40) * UNIT);
            assertThat(logRows()).isEqualTo(21);
            assertThat(ledger.pendingRecords()).isZero();
            assertThat(ledger.failedFlushes()).isPositive();
        }
    }

    @Test
    void dropsAndCountsWhatExceedsThePendingBound() throws Exception {
        try (TcpProxy link = new TcpProxy(server.port());
             Database throughLink = Database.open(DatabaseSettings.of(
                     "jdbc:postgresql://localhost:" + link.port() + "/postgres?user=postgres")
                     .withMaximumPoolSize(1))) {
            SpendLedger ledger = SpendLedger.manual(throughLink.dataSource(),
                    SpendSettings.defaults().withMaxPending(5));
            link.cut();

            List<Boolean> accepted = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                accepted.add(ledger.record(record(UNIT)));
            }
            ledger.flush();

            assertThat(accepted).containsExactly(true, true, true, true, true, false, false, false);
            assertThat(ledger.pendingRecords()).isEqualTo(5);
            assertThat(ledger.droppedRecords()).isEqualTo(3);
        }
    }

    @Test
    void dropsOnlyARecordTheDatabaseRefusesAndWritesTheRestOfItsBatch() throws SQLException {
        // given a database that refuses one request's row, as it would refuse malformed data
        TestPostgres.execute(server.jdbcUrl(),
                "CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN "
                        + "RAISE EXCEPTION 'refused' USING ERRCODE = '22023'; END $$ LANGUAGE plpgsql",
                "CREATE OR REPLACE TRIGGER refuse_poison BEFORE INSERT ON \"LiteLLM_SpendLogs\" FOR EACH ROW "
                        + "WHEN (NEW.request_id LIKE 'poison-%') EXECUTE FUNCTION refuse_poison()");
        SpendLedger ledger = SpendLedger.manual(database.dataSource(), SpendSettings.defaults());
        ledger.record(record(UNIT));
        ledger.record(record("poison-" + team, 100 * UNIT, null));
        ledger.record(record(2 * UNIT));

        // when
        boolean flushed = ledger.flush();
        boolean flushedAgain = ledger.flush();

        // then
        assertThat(flushed).isTrue();
        assertThat(flushedAgain).isTrue();
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(3 * UNIT);
        assertThat(ledger.droppedRecords()).isEqualTo(1);
        assertThat(ledger.pendingRecords()).isZero();
    }

    @Test
    void writesIdsHoldingANulCharacterInsteadOfFailingEveryFlush() throws SQLException {
        SpendLedger ledger = SpendLedger.manual(database.dataSource(), SpendSettings.defaults());

        ledger.record(record(UUID.randomUUID().toString(), UNIT, "customer\u0000" + team));
        boolean flushed = ledger.flush();

        assertThat(flushed).isTrue();
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(UNIT);
        assertThat(spend("LiteLLM_EndUserTable", "user_id", "customer\uFFFD" + team)).isEqualTo(UNIT);
    }

    @Test
    void closeWritesEverythingPendingWithoutWaitingForTheInterval() throws SQLException {
        SpendLedger ledger = SpendLedger.start(database.dataSource(),
                SpendSettings.defaults().withFlushInterval(Duration.ofHours(1)));
        for (int i = 0; i < 5; i++) {
            ledger.record(record(UNIT));
        }

        ledger.close();

        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(5 * UNIT);
        assertThat(logRows()).isEqualTo(5);
        assertThat(ledger.record(record(UNIT))).as("closed ledgers take nothing").isFalse();
    }

    @Test
    void writesABurstInBatchesBeforeTheIntervalIsUp() throws Exception {
        // given an interval far away and batches of 100
        SpendLedger ledger = SpendLedger.start(database.dataSource(),
                SpendSettings.defaults().withFlushInterval(Duration.ofHours(1)).withFlushAt(100));
        try {
            // when a burst of 250 answers is recorded
            for (int i = 0; i < 250; i++) {
                ledger.record(record(UNIT));
            }

            // then all but less than one batch reach the database without waiting for the interval or a close
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (250 - logRows() >= 100 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(250 - logRows()).as("records left waiting for the interval").isLessThan(100);
        } finally {
            ledger.close();
        }
        assertThat(logRows()).as("the rest on close").isEqualTo(250);
        assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(250 * UNIT);
    }

    private interface Work {
        void run(int thread) throws Exception;
    }

    private static void runConcurrently(int threads, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger ids = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    work.run(ids.getAndIncrement());
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * LiteLLM's {@code general_settings.disable_spend_logs}: no {@code LiteLLM_SpendLogs} rows, the owners' spend still
     * booked exactly once, through a marker row per flush.
     */
    @Nested
    class WithoutSpendLogs {

        private static final SpendSettings WITHOUT_LOGS = SpendSettings.defaults().withSpendLogs(false);

        @Test
        void booksEveryOwnersSpendAndWritesNoLogRow() throws SQLException {
            // given
            SpendLedger ledger = SpendLedger.manual(database.dataSource(), WITHOUT_LOGS);
            String endUser = "customer-" + team;
            ledger.record(record("req-a-" + team, 3 * UNIT, endUser));
            ledger.record(record("req-b-" + team, 5 * UNIT, endUser));

            // when
            boolean flushed = ledger.flush();

            // then
            assertThat(flushed).isTrue();
            assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(8 * UNIT);
            assertThat(spend("LiteLLM_UserTable", "user_id", user)).isEqualTo(8 * UNIT);
            assertThat(spend("LiteLLM_OrganizationTable", "organization_id", organization)).isEqualTo(8 * UNIT);
            assertThat(spend("LiteLLM_EndUserTable", "user_id", endUser)).isEqualTo(8 * UNIT);
            assertThat(membershipSpend()).isEqualTo(8 * UNIT);
            assertThat(count("SELECT count(*) FROM \"LiteLLM_SpendLogs\" WHERE team_id = ?", team)).isZero();
            assertThat(ledger.writtenRecords()).isEqualTo(2);
            assertThat(ledger.pendingRecords()).isZero();
        }

        @Test
        void aRequestRecordedTwiceInOneFlushIsBookedOnce() throws SQLException {
            // given
            SpendLedger ledger = SpendLedger.manual(database.dataSource(), WITHOUT_LOGS);
            ledger.record(record("req-twice-" + team, 3 * UNIT, null));
            ledger.record(record("req-twice-" + team, 3 * UNIT, null));

            // when
            ledger.flush();

            // then
            assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(3 * UNIT);
        }

        @Test
        void markersOfSettledFlushesAreDeletedSoTheTableDoesNotGrow() throws SQLException {
            // given
            SpendLedger ledger = SpendLedger.manual(database.dataSource(), WITHOUT_LOGS);
            long before = count("SELECT count(*) FROM \"claimgate_spend_flushes\" WHERE flush_id <> ?", "");

            // when ten flushes write something
            for (int i = 0; i < 10; i++) {
                ledger.record(record(UNIT));
                assertThat(ledger.flush()).isTrue();
            }

            // then only the last flush's marker is left (the next flush deletes it)
            assertThat(count("SELECT count(*) FROM \"claimgate_spend_flushes\" WHERE flush_id <> ?", ""))
                    .isEqualTo(before + 1);
            assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(10 * UNIT);
        }

        @Test
        void aFlushThatCommittedButWhoseAnswerWasLostIsNotBookedAgain() throws SQLException {
            // given a connection whose first commit reaches the database but whose answer is lost
            AtomicInteger commits = new AtomicInteger();
            DataSource losingFirstAnswer = withCommit(database.dataSource(), connection -> {
                connection.commit();
                if (commits.incrementAndGet() == 1) {
                    throw new SQLException("An I/O error occurred while sending to the backend", "08006");
                }
            });
            SpendLedger ledger = SpendLedger.manual(losingFirstAnswer, WITHOUT_LOGS);
            ledger.record(record(3 * UNIT));
            ledger.record(record(5 * UNIT));

            // when the first flush fails as far as the ledger knows, more spend arrives, and the next flush runs
            boolean first = ledger.flush();
            ledger.record(record(7 * UNIT));
            boolean second = ledger.flush();

            // then each request is booked once: the first flush's marker told the second what was already written
            assertThat(first).isFalse();
            assertThat(second).isTrue();
            assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(15 * UNIT);
            assertThat(spend("LiteLLM_UserTable", "user_id", user)).isEqualTo(15 * UNIT);
            assertThat(ledger.writtenRecords()).isEqualTo(3);
            assertThat(ledger.pendingRecords()).isZero();
        }

        @Test
        void aFlushThatDidNotCommitIsWrittenOnceByTheNext() throws SQLException {
            // given a connection whose first commit never reaches the database
            AtomicInteger commits = new AtomicInteger();
            DataSource losingFirstCommit = withCommit(database.dataSource(), connection -> {
                if (commits.incrementAndGet() == 1) {
                    connection.rollback();
                    throw new SQLException("An I/O error occurred while sending to the backend", "08006");
                }
                connection.commit();
            });
            SpendLedger ledger = SpendLedger.manual(losingFirstCommit, WITHOUT_LOGS);
            ledger.record(record(3 * UNIT));
            ledger.record(record(5 * UNIT));

            // when
            boolean first = ledger.flush();
            boolean second = ledger.flush();

            // then nothing was lost and nothing counted twice
            assertThat(first).isFalse();
            assertThat(second).isTrue();
            assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(8 * UNIT);
            assertThat(ledger.writtenRecords()).isEqualTo(2);
            assertThat(ledger.pendingRecords()).isZero();
        }

        @Test
        void aRecordTheDatabaseRefusesIsDroppedAloneAndTheRestIsBookedOnce() throws SQLException {
            // given a request id no index could hold between two good records
            SpendLedger ledger = SpendLedger.manual(database.dataSource(), WITHOUT_LOGS);
            ledger.record(record(3 * UNIT));
            ledger.record(record("x".repeat(SpendWriter.MAX_INDEXED_BYTES + 1), 5 * UNIT, null));
            ledger.record(record(7 * UNIT));

            // when
            boolean flushed = ledger.flush();

            // then
            assertThat(flushed).isTrue();
            assertThat(spend("LiteLLM_TeamTable", "team_id", team)).isEqualTo(10 * UNIT);
            assertThat(ledger.droppedRecords()).isEqualTo(1);
            assertThat(ledger.writtenRecords()).isEqualTo(2);
            assertThat(ledger.pendingRecords()).isZero();
        }

        private interface Commit {
            void on(Connection real) throws SQLException;
        }

        /** The data source, with every connection's {@code commit()} replaced by {@code commit}. */
        private static DataSource withCommit(DataSource real, Commit commit) {
            return (DataSource) Proxy.newProxyInstance(SpendLedgerIT.class.getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                        Object result = invoke(method, real, args);
                        if (!method.getName().equals("getConnection")) {
                            return result;
                        }
                        Connection connection = (Connection) result;
                        return Proxy.newProxyInstance(SpendLedgerIT.class.getClassLoader(),
                                new Class<?>[] {Connection.class}, (p, m, a) -> {
                                    if (m.getName().equals("commit")) {
                                        commit.on(connection);
                                        return null;
                                    }
                                    return invoke(m, connection, a);
                                });
                    });
        }

        private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private static long count(String sql, String parameter) throws SQLException {
            return single(sql.replace("count(*)", "count(*)::float8"), parameter).longValue();
        }
    }

    private Double spend(String table, String idColumn, String id) throws SQLException {
        return single("SELECT spend FROM \"" + table + "\" WHERE " + idColumn + " = ?", id);
    }

    private Double membershipSpend() throws SQLException {
        return single("SELECT spend FROM \"LiteLLM_TeamMembership\" WHERE team_id = ? AND user_id = '" + user + "'",
                team);
    }

    private long logRows() throws SQLException {
        return single("SELECT count(*)::float8 FROM \"LiteLLM_SpendLogs\" WHERE team_id = ?", team).longValue();
    }

    private static Double single(String sql, String parameter) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? row.getDouble(1) : null;
            }
        }
    }
}
