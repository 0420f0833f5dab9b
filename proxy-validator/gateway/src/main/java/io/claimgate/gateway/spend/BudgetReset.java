package io.claimgate.gateway.spend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resets the spend of budgets whose {@code budget_reset_at} has passed and sets their next reset time from their
 * {@code budget_duration}, as LiteLLM's reset job does: teams and users by their own columns; end users, team
 * memberships and organizations by their {@code LiteLLM_BudgetTable} row.
 *
 * <p>One replica at a time: each run takes a PostgreSQL transaction-level advisory lock and does nothing when another
 * replica holds it. Rows with a duration but no reset time get one (their spend is left alone). A duration LiteLLM
 * would refuse ({@code 2mo}) is logged and the row skipped.
 */
public final class BudgetReset implements AutoCloseable {

    /** Every replica of every Claimgate version must use the same key; it spells "cg-budget". */
    static final long ADVISORY_LOCK = 0x63672d6275646765L;
    /** LiteLLM runs its reset job about every ten minutes. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(BudgetReset.class);

    /** The tables whose rows carry their own duration and reset time, with their id column. */
    private static final List<String[]> OWN_BUDGETS = List.of(
            new String[] {"LiteLLM_TeamTable", "team_id"},
            new String[] {"LiteLLM_UserTable", "user_id"});
    /** The tables whose spend resets with their budget row, in the order {@link SpendWriter} locks them. */
    private static final List<String> BUDGET_HOLDERS = List.of(
            "LiteLLM_TeamMembership", "LiteLLM_OrganizationTable", "LiteLLM_EndUserTable");

    private final DataSource dataSource;
    private final Clock clock;
    private final ZoneId zone;
    private final ScheduledExecutorService schedule;

    private BudgetReset(DataSource dataSource, Clock clock, ZoneId zone, Duration every) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        if (every == null) {
            schedule = null;
        } else if (every.toMillis() < 1) {
            throw new IllegalArgumentException("the budget reset interval must be positive, got " + every);
        } else {
            schedule = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "claimgate-budget-reset");
                thread.setDaemon(true);
                return thread;
            });
            schedule.scheduleWithFixedDelay(this::runQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Resets budgets now and then every {@code every}, on a thread of its own. */
    public static BudgetReset start(DataSource dataSource, Duration every, ZoneId zone) {
        return new BudgetReset(dataSource, Clock.systemUTC(), zone, every);
    }

    /** Resets only when {@link #runOnce()} is called; for tests and tools. */
    public static BudgetReset manual(DataSource dataSource, Clock clock, ZoneId zone) {
        return new BudgetReset(dataSource, clock, zone, null);
    }

    /**
     * One reset pass in one transaction.
     *
     * @return how many budgets were reset, or empty when another replica holds the lock and this one did nothing
     */
    public Optional<Integer> runOnce() throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                if (!tryLock(connection)) {
                    connection.rollback();
                    return Optional.empty();
                }
                int reset = 0;
                for (String[] table : OWN_BUDGETS) {
                    reset += resetOwn(connection, table[0], table[1], now);
                }
                reset += resetBudgetRows(connection, now);
                connection.commit();
                return Optional.of(reset);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }

    private void runQuietly() {
        try {
            runOnce().filter(n -> n > 0).ifPresent(n -> LOG.info("Reset the spend of {} budgets", n));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Budget reset failed; it is tried again at the next run: {}", e.getMessage());
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, ADVISORY_LOCK);
            try (ResultSet row = lock.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private int resetOwn(Connection connection, String table, String idColumn, Instant now) throws SQLException {
        List<Due> due = due(connection, "SELECT " + idColumn + ", budget_duration, budget_reset_at IS NOT NULL FROM \""
                + table + "\" WHERE budget_duration IS NOT NULL AND (budget_reset_at IS NULL OR budget_reset_at <= "
                + "CAST(? AS TIMESTAMP)) ORDER BY " + idColumn + " FOR UPDATE", now);
        int reset = 0;
        try (PreparedStatement update = connection.prepareStatement("UPDATE \"" + table + "\" SET spend = CASE WHEN ? "
                + "THEN 0 ELSE spend END, budget_reset_at = CAST(? AS TIMESTAMP) WHERE " + idColumn + " = ?")) {
            for (Due row : due) {
                update.setBoolean(1, row.expired);
                update.setString(2, utc(row.next));
                update.setString(3, row.id);
                update.addBatch();
                reset += row.expired ? 1 : 0;
            }
            update.executeBatch();
        }
        return reset;
    }

    private int resetBudgetRows(Connection connection, Instant now) throws SQLException {
        List<Due> due = due(connection, "SELECT budget_id, budget_duration, budget_reset_at IS NOT NULL FROM "
                + "\"LiteLLM_BudgetTable\" WHERE budget_duration IS NOT NULL AND (budget_reset_at IS NULL OR "
                + "budget_reset_at <= CAST(? AS TIMESTAMP)) ORDER BY budget_id FOR UPDATE", now);
        int reset = 0;
        try (PreparedStatement update = connection.prepareStatement("UPDATE \"LiteLLM_BudgetTable\" SET "
                + "budget_reset_at = CAST(? AS TIMESTAMP) WHERE budget_id = ?")) {
            for (Due row : due) {
                update.setString(1, utc(row.next));
                update.setString(2, row.id);
                update.addBatch();
            }
            update.executeBatch();
        }
        for (String holder : BUDGET_HOLDERS) {
            try (PreparedStatement clear = connection.prepareStatement("UPDATE \"" + holder + "\" SET spend = 0 "
                    + "WHERE budget_id = ?")) {
                for (Due row : due) {
                    if (row.expired) {
                        clear.setString(1, row.id);
                        clear.addBatch();
                    }
                }
                for (int changed : clear.executeBatch()) {
                    reset += Math.max(0, changed);
                }
            }
        }
        return reset;
    }

    private List<Due> due(Connection connection, String sql, Instant now) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, utc(now));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    Optional<BudgetDuration> duration = BudgetDuration.parse(rows.getString(2));
                    if (duration.isEmpty()) {
                        continue;
                    }
                    try {
                        due.add(new Due(id, rows.getBoolean(3), duration.get().nextResetAfter(now, zone)));
                    } catch (IllegalArgumentException e) {
                        LOG.warn("Budget of {} not reset: {}", id, e.getMessage());
                    }
                }
            }
        }
        return due;
    }

    private static String utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    /** A row whose reset time passed ({@code expired}) or was never set, and its next reset. */
    private record Due(String id, boolean expired, Instant next) {
    }
}
