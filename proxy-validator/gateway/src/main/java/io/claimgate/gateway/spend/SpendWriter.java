package io.claimgate.gateway.spend;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch of spend records in one transaction: one {@code LiteLLM_SpendLogs} row per request, and the sum of
 * the new rows' spend added to the team, user, team membership, organization and end user they name.
 *
 * <p>The log rows go in with {@code COPY} ({@link SpendLogCopy}), which costs PostgreSQL a fraction of an
 * {@code INSERT} of the same rows, and the increments are summed from the batch itself. A COPY cannot skip a row that
 * exists: when some of the batch was written before (a batch retried after a commit whose answer was lost), it fails
 * with a unique violation, and the batch is written again, in a new transaction, with {@code INSERT ... ON CONFLICT
 * DO NOTHING RETURNING}, whose increments count only the rows that statement inserted.
 *
 * <p>Exactly once, either way: a request id repeated within the batch is booked at its first record, and a request id
 * written by an earlier transaction adds nothing. Increments are {@code spend = spend + ?}, so replicas never lose
 * each other's updates; rows are updated in one fixed order (table, then id) so that two replicas' transactions
 * cannot deadlock each other.
 *
 * <p>Rows that do not exist are not created, as LiteLLM does, except end users, which LiteLLM also creates on first
 * spend.
 *
 * <p>Public only so that the benchmarks can compare the two paths ({@code SpendWriteBenchmark}); the gateway writes
 * through {@link SpendLedger}.
 */
public final class SpendWriter {

    /** Marks the log rows the gateway wrote, so that an operator can tell them from the upstream LiteLLM's. */
    static final String METADATA = "{\"recorded_by\":\"claimgate\"}";

    /**
     * Below btree's 2,704-byte entry limit with room for the entry's header and the timestamp of the
     * {@code ("startTime", request_id)} index, whether PostgreSQL compresses the value or not.
     */
    static final int MAX_INDEXED_BYTES = 2000;
    /** PostgreSQL's string_data_right_truncation, a data error the ledger drops one record for. */
    private static final String VALUE_TOO_LONG = "22001";
    private static final Logger LOG = LoggerFactory.getLogger(SpendWriter.class);

    /** PostgreSQL's unique_violation: a COPY met a request id already in the table. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String INSERT_LOGS = """
            INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, spend, total_tokens, prompt_tokens,
                completion_tokens, "startTime", "endTime", request_duration_ms, model, model_group, "user", team_id,
                organization_id, end_user, status, metadata)
            SELECT r.request_id, r.call_type, r.spend, r.total_tokens, r.prompt_tokens, r.completion_tokens,
                r.start_time, r.end_time, r.duration_ms, r.model, r.model, coalesce(r.user_id, ''), r.team_id,
                r.organization_id, r.end_user, 'success', CAST(? AS JSONB)
            FROM unnest(?::text[], ?::text[], ?::float8[], ?::int[], ?::int[], ?::int[], ?::timestamp[],
                ?::timestamp[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                AS r(request_id, call_type, spend, total_tokens, prompt_tokens, completion_tokens, start_time,
                     end_time, duration_ms, model, user_id, team_id, organization_id, end_user)
            ON CONFLICT (request_id) DO NOTHING
            RETURNING request_id
            """;
    private static final String INSERT_MARKER = "INSERT INTO \"claimgate_spend_flushes\" (flush_id) VALUES (?)";
    private static final String DELETE_MARKERS = "DELETE FROM \"claimgate_spend_flushes\" WHERE flush_id = ANY(?)";
    private static final String FIND_MARKER = "SELECT 1 FROM \"claimgate_spend_flushes\" WHERE flush_id = ?";
    private static final String ADD_TO_TEAM =
            "UPDATE \"LiteLLM_TeamTable\" SET spend = spend + ? WHERE team_id = ?";
    private static final String ADD_TO_USER =
            "UPDATE \"LiteLLM_UserTable\" SET spend = spend + ? WHERE user_id = ?";
    private static final String ADD_TO_MEMBERSHIP =
            "UPDATE \"LiteLLM_TeamMembership\" SET spend = spend + ? WHERE team_id = ? AND user_id = ?";
    private static final String ADD_TO_ORGANIZATION =
            "UPDATE \"LiteLLM_OrganizationTable\" SET spend = spend + ? WHERE organization_id = ?";
    private static final String ADD_TO_END_USER = """
            INSERT INTO "LiteLLM_EndUserTable" (user_id, spend) VALUES (?, ?)
            ON CONFLICT (user_id) DO UPDATE SET spend = "LiteLLM_EndUserTable".spend + EXCLUDED.spend
            """;

    private SpendWriter() {
    }

    /**
     * Writes the batch and commits: by {@code COPY}, or, when some of it was written before, by
     * {@link #writeByInsert}. On any failure rolls back and throws, leaving the database as it was.
     *
     * @return how many records were new (the others had been written before, or repeat a request id of the batch)
     */
    public static int write(Connection connection, List<SpendRecord> batch) throws SQLException {
        List<SpendRecord> requests = storableRequests(batch);
        return inTransaction(connection, () -> {
            try {
                SpendLogCopy.copy(connection, requests);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                connection.rollback();
                return insertAndAddSpend(connection, requests);
            }
            addSpend(connection, requests);
            connection.commit();
            return requests.size();
        });
    }

    /**
     * Writes the batch without log rows ({@code general_settings.disable_spend_logs}) and commits: the owners' spend,
     * and a marker row {@code flushId} in {@code claimgate_spend_flushes} by which a later flush can tell whether this
     * transaction committed when its answer was lost ({@link #flushCommitted}). The markers {@code settled} (of
     * flushes known to have committed, or not to have) are deleted in the same transaction. On any failure rolls back
     * and throws.
     *
     * @return how many records were booked (a request id repeated within the batch is booked once)
     */
    public static int writeWithoutLogs(Connection connection, List<SpendRecord> batch, String flushId,
                                       List<String> settled) throws SQLException {
        List<SpendRecord> requests = storableRequests(batch);
        return inTransaction(connection, () -> {
            addSpend(connection, requests);
            try (PreparedStatement marker = connection.prepareStatement(INSERT_MARKER)) {
                marker.setString(1, flushId);
                marker.executeUpdate();
            }
            if (!settled.isEmpty()) {
                try (PreparedStatement forget = connection.prepareStatement(DELETE_MARKERS)) {
                    forget.setArray(1, connection.createArrayOf("text", settled.toArray()));
                    forget.executeUpdate();
                }
            }
            connection.commit();
            return requests.size();
        });
    }

    /** Whether the flush that wrote marker {@code flushId} ({@link #writeWithoutLogs}) committed. */
    static boolean flushCommitted(Connection connection, String flushId) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(FIND_MARKER)) {
            find.setString(1, flushId);
            try (ResultSet row = find.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * Writes the batch and commits with {@code INSERT ... ON CONFLICT DO NOTHING RETURNING} only: the path
     * {@link #write} falls back to when some of a batch was written before, and the benchmarks' baseline. On any
     * failure rolls back and throws.
     *
     * @return how many records were new
     */
    public static int writeByInsert(Connection connection, List<SpendRecord> batch) throws SQLException {
        List<SpendRecord> requests = storableRequests(batch);
        return inTransaction(connection, () -> insertAndAddSpend(connection, requests));
    }

    private interface Transaction {
        int run() throws SQLException;
    }

    /** Runs {@code work}, which commits; on failure rolls back and throws what failed first, not a later symptom. */
    private static int inTransaction(Connection connection, Transaction work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        int written;
        try {
            written = work.run();
        } catch (SQLException | RuntimeException e) {
            rollback(connection, e);
            try {
                connection.setAutoCommit(autoCommit);
            } catch (SQLException restoreFailed) {
                e.addSuppressed(restoreFailed);
            }
            throw e;
        }
        connection.setAutoCommit(autoCommit);
        return written;
    }

    private static int insertAndAddSpend(Connection connection, List<SpendRecord> requests) throws SQLException {
        Set<String> inserted = insertLogs(connection, requests);
        List<SpendRecord> written = new ArrayList<>(inserted.size());
        for (SpendRecord r : requests) {
            if (inserted.contains(r.requestId())) {
                written.add(r);
            }
        }
        addSpend(connection, written);
        connection.commit();
        return written.size();
    }

    /**
     * The records as they can be stored, one per request: a request recorded twice in one batch is booked once, at
     * its first record, whichever path writes it.
     *
     * <p>A btree index entry holds at most 2,704 bytes, and PostgreSQL refuses a row whose indexed value is longer
     * (and does not compress below that) with an error that is not about the data's class, so the ledger would retry
     * its batch forever and no spend would be written again. The end user comes from the request's {@code user}
     * field: one too long to index is left out of the record, whose spend is still booked to its team, user and
     * organization (such an id cannot be a {@code LiteLLM_EndUserTable} key either, so no end user's budget misses
     * it). A request id too long to index (never the gateway's own) is refused as data, SQLSTATE {@code 22001}: the
     * ledger drops that record alone.
     */
    private static List<SpendRecord> storableRequests(List<SpendRecord> batch) throws SQLException {
        Set<String> seen = new HashSet<>(batch.size() * 2);
        List<SpendRecord> first = new ArrayList<>(batch.size());
        int withoutEndUser = 0;
        for (SpendRecord r : batch) {
            // Spelled on each call (a waiting record keeps only its number): once here.
            String id = r.requestId();
            if (!seen.add(id)) {
                continue;
            }
            if (!indexable(id)) {
                throw new SQLException("A spend record's request id is longer than " + MAX_INDEXED_BYTES
                        + " bytes, more than PostgreSQL can index", VALUE_TOO_LONG);
            }
            if (r.endUserId() != null && !indexable(r.endUserId())) {
                r = r.withoutEndUser();
                withoutEndUser++;
            }
            first.add(r);
        }
        if (withoutEndUser > 0) {
            // The count only: the id is the caller's, and long.
            LOG.warn("{} requests named an end user id longer than {} bytes, which PostgreSQL cannot index: their "
                    + "spend is booked without the end user", withoutEndUser, MAX_INDEXED_BYTES);
        }
        return first;
    }

    private static boolean indexable(String text) {
        return text.length() * 3 <= MAX_INDEXED_BYTES
                || text.getBytes(StandardCharsets.UTF_8).length <= MAX_INDEXED_BYTES;
    }

    private static Set<String> insertLogs(Connection connection, List<SpendRecord> batch) throws SQLException {
        int n = batch.size();
        String[] ids = new String[n];
        String[] callTypes = new String[n];
        Double[] spends = new Double[n];
        Integer[] total = new Integer[n];
        Integer[] prompt = new Integer[n];
        Integer[] completion = new Integer[n];
        String[] starts = new String[n];
        String[] ends = new String[n];
        Integer[] durations = new Integer[n];
        String[] models = new String[n];
        String[] users = new String[n];
        String[] teams = new String[n];
        String[] organizations = new String[n];
        String[] endUsers = new String[n];
        for (int i = 0; i < n; i++) {
            SpendRecord r = batch.get(i);
            ids[i] = r.requestId();
            callTypes[i] = r.callType();
            spends[i] = r.spend();
            total[i] = clamp(r.usage().totalTokens());
            prompt[i] = clamp(r.usage().promptTokens());
            completion[i] = clamp(r.usage().completionTokens());
            starts[i] = utc(r.startTime());
            ends[i] = utc(r.endTime());
            durations[i] = durationMillis(r);
            models[i] = r.model();
            users[i] = r.userId();
            teams[i] = r.teamId();
            organizations[i] = r.organizationId();
            endUsers[i] = r.endUserId();
        }
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LOGS)) {
            int p = 1;
            insert.setString(p++, METADATA);
            List<Array> arrays = new ArrayList<>();
            arrays.add(connection.createArrayOf("text", ids));
            arrays.add(connection.createArrayOf("text", callTypes));
            arrays.add(connection.createArrayOf("float8", spends));
            arrays.add(connection.createArrayOf("int4", total));
            arrays.add(connection.createArrayOf("int4", prompt));
            arrays.add(connection.createArrayOf("int4", completion));
            arrays.add(connection.createArrayOf("text", starts));
            arrays.add(connection.createArrayOf("text", ends));
            arrays.add(connection.createArrayOf("int4", durations));
            arrays.add(connection.createArrayOf("text", models));
            arrays.add(connection.createArrayOf("text", users));
            arrays.add(connection.createArrayOf("text", teams));
            arrays.add(connection.createArrayOf("text", organizations));
            arrays.add(connection.createArrayOf("text", endUsers));
            for (Array array : arrays) {
                insert.setArray(p++, array);
            }
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.add(rows.getString(1));
                }
            }
        }
        return inserted;
    }

    /** Adds every record's spend to its owners: the caller passes only the records whose log row it wrote. */
    private static void addSpend(Connection connection, List<SpendRecord> written) throws SQLException {
        // Sorted maps: every transaction locks rows in the same order.
        Map<String, Double> teams = new TreeMap<>();
        Map<String, Double> users = new TreeMap<>();
        Map<List<String>, Double> memberships = new TreeMap<>(SpendWriter::compareMembership);
        Map<String, Double> organizations = new TreeMap<>();
        Map<String, Double> endUsers = new TreeMap<>();
        for (SpendRecord r : written) {
            add(teams, r.teamId(), r.spend());
            add(users, r.userId(), r.spend());
            if (r.teamId() != null && r.userId() != null) {
                memberships.merge(List.of(r.teamId(), r.userId()), r.spend(), Double::sum);
            }
            add(organizations, r.organizationId(), r.spend());
            add(endUsers, r.endUserId(), r.spend());
        }
        addTo(connection, ADD_TO_TEAM, teams);
        addTo(connection, ADD_TO_USER, users);
        if (!memberships.isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement(ADD_TO_MEMBERSHIP)) {
                for (Map.Entry<List<String>, Double> e : memberships.entrySet()) {
                    update.setDouble(1, e.getValue());
                    update.setString(2, e.getKey().get(0));
                    update.setString(3, e.getKey().get(1));
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
        addTo(connection, ADD_TO_ORGANIZATION, organizations);
        if (!endUsers.isEmpty()) {
            try (PreparedStatement upsert = connection.prepareStatement(ADD_TO_END_USER)) {
                for (Map.Entry<String, Double> e : endUsers.entrySet()) {
                    upsert.setString(1, e.getKey());
                    upsert.setDouble(2, e.getValue());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }
    }

    private static void addTo(Connection connection, String sql, Map<String, Double> amounts) throws SQLException {
        if (amounts.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            for (Map.Entry<String, Double> e : amounts.entrySet()) {
                update.setDouble(1, e.getValue());
                update.setString(2, e.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static void add(Map<String, Double> amounts, String id, double spend) {
        if (id != null && !id.isEmpty()) {
            amounts.merge(id, spend, Double::sum);
        }
    }

    private static int compareMembership(List<String> a, List<String> b) {
        int byTeam = a.get(0).compareTo(b.get(0));
        return byTeam != 0 ? byTeam : a.get(1).compareTo(b.get(1));
    }

    /** LiteLLM's timestamps are UTC in columns without a time zone, whatever the JVM's zone. */
    private static String utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    /** The request's duration in whole milliseconds, as LiteLLM's {@code request_duration_ms} column holds it. */
    static int durationMillis(SpendRecord r) {
        return clamp(r.durationMillis());
    }

    /** A count as PostgreSQL's {@code integer}: never negative, at most its largest value. */
    static int clamp(long value) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, value));
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
