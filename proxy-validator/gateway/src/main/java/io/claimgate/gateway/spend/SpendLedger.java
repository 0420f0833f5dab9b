package io.claimgate.gateway.spend;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what answered requests cost and writes it to LiteLLM's tables every flush interval, in one transaction
 * (see {@link SpendWriter} for what is written and why it is exactly once).
 *
 * <p>{@link #record} never touches the database and never blocks: the request path only queues. While the database
 * is down the records stay in memory, up to {@link SpendSettings#maxPending()} (past it new ones are dropped and
 * counted), and are written by the first flush that succeeds. {@link #close()} writes everything still pending; a
 * crash loses what arrived since the last successful flush.
 */
public final class SpendLedger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpendLedger.class);

    private final DataSource dataSource;
    private final SpendSettings settings;
    private final Queue<SpendRecord> queued = new ConcurrentLinkedQueue<>();
    /** Queued plus carried: what memory holds. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Queued since the last flush began; reaching {@link SpendSettings#flushAt()} asks for a flush now. */
    private final AtomicInteger queuedSinceFlush = new AtomicInteger();
    private final AtomicBoolean earlyFlushAsked = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedFlushes = new AtomicLong();
    private final ScheduledExecutorService flusher;
    /** Records a failed flush could not write, first in line for the next; only touched under the flush lock. */
    private final List<SpendRecord> carried = new ArrayList<>();
    private final Object flushLock = new Object();
    /** Without log rows: the ids of each flush's marker row ({@link SpendWriter#writeWithoutLogs}). */
    private final RequestIds flushIds = new RequestIds();
    /** Without log rows: the last flush whose commit was not confirmed; only touched under the flush lock. */
    private Unconfirmed unconfirmed;
    /** Without log rows: markers whose flush is known to have committed or not, deleted by the next flush. */
    private final List<String> settledMarkers = new ArrayList<>();
    private volatile boolean dropping;
    /** The last flush failed: bursts then wait for the interval rather than retry the database back to back. */
    private volatile boolean failing;
    private volatile boolean closed;

    private SpendLedger(DataSource dataSource, SpendSettings settings, boolean scheduled) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (scheduled) {
            flusher = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "claimgate-spend-flush");
                thread.setDaemon(true);
                return thread;
            });
            long every = settings.flushInterval().toMillis();
            flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
        } else {
            flusher = null;
        }
    }

    /** A ledger that flushes every {@link SpendSettings#flushInterval()} on a thread of its own. */
    public static SpendLedger start(DataSource dataSource, SpendSettings settings) {
        return new SpendLedger(dataSource, settings, true);
    }

    /** A ledger that writes only when {@link #flush()} or {@link #close()} is called; for tests and tools. */
    public static SpendLedger manual(DataSource dataSource, SpendSettings settings) {
        return new SpendLedger(dataSource, settings, false);
    }

    /**
     * Queues one answered request.
     *
     * @return {@code false} when it was dropped because {@link SpendSettings#maxPending()} records are already waiting
     *         (the database has been down for long) or the ledger is closed
     */
    public boolean record(SpendRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            dropped.incrementAndGet();
            return false;
        }
        if (pending.incrementAndGet() > settings.maxPending()) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
            if (!dropping) {
                dropping = true;
                LOG.error("Spend is being dropped: {} records are waiting for the database already. Budgets will not "
                        + "count the dropped requests; see claimgate_spend_dropped_total.", settings.maxPending());
            }
            return false;
        }
        queued.add(record);
        if (flusher != null && !failing && queuedSinceFlush.incrementAndGet() >= settings.flushAt()
                && earlyFlushAsked.compareAndSet(false, true)) {
            // A burst writes in batches of flushAt rather than holding up to an interval's worth in memory; the
            // request path only hands the flush to the flusher's thread.
            try {
                flusher.execute(() -> {
                    earlyFlushAsked.set(false);
                    flushQuietly();
                });
            } catch (RejectedExecutionException closing) {
                earlyFlushAsked.set(false);
            }
        }
        return true;
    }

    /**
     * Writes everything pending now, in one transaction.
     *
     * @return {@code true} when everything pending at the start was written; {@code false} when the database
     *         refused (the records stay pending for the next flush)
     */
    public boolean flush() {
        synchronized (flushLock) {
            queuedSinceFlush.set(0);
            for (SpendRecord r; (r = queued.poll()) != null; ) {
                carried.add(r);
            }
            if (carried.isEmpty()) {
                return true;
            }
            int batch = carried.size();
            try (Connection connection = dataSource.getConnection()) {
                settleUnconfirmed(connection);
                writeCarried(connection);
            } catch (SQLException | RuntimeException e) {
                failedFlushes.incrementAndGet();
                if (!failing) {
                    failing = true;
                    LOG.warn("Cannot write spend to the database ({}); {} records stay pending and are written when "
                            + "it is back", e.getMessage(), batch);
                }
                return false;
            }
            if (failing) {
                failing = false;
                LOG.info("Spend written again: {} pending records reached the database", batch);
            }
            dropping = false;
            return true;
        }
    }

    /**
     * Without log rows ({@code general_settings.disable_spend_logs}) nothing in the database marks a request as
     * booked, so a flush whose commit went through but whose answer was lost would book its records again. Each write
     * therefore leaves a marker row in its transaction and is remembered as unconfirmed until it returns; the next
     * flush first asks whether that marker exists, and if so settles the records it wrote (the head of the carried
     * list, which only ever grows at its end) before writing the rest. With log rows, the rows themselves do this.
     */
    private void settleUnconfirmed(Connection connection) throws SQLException {
        if (unconfirmed == null) {
            return;
        }
        if (SpendWriter.flushCommitted(connection, unconfirmed.flushId())) {
            List<SpendRecord> booked = carried.subList(0, unconfirmed.records());
            written.addAndGet(booked.stream().map(SpendRecord::requestId).distinct().count());
            pending.addAndGet(-booked.size());
            booked.clear();
        }
        settledMarkers.add(unconfirmed.flushId());
        unconfirmed = null;
    }

    /** Writes every carried record in one transaction, or one by one when the database refuses some for their data. */
    private void writeCarried(Connection connection) throws SQLException {
        if (carried.isEmpty()) {
            return;
        }
        try {
            written.addAndGet(writeBatch(connection, carried));
        } catch (SQLException e) {
            if (!isRefusalOfTheData(e)) {
                throw e;
            }
            writeOneByOne(connection, e);
            return;
        }
        pending.addAndGet(-carried.size());
        carried.clear();
    }

    /**
     * A record the database refuses for what it holds (PostgreSQL's data and integrity errors, classes 22 and 23)
     * would fail every batch it is in, forever; written one by one, only it is lost, and counted as dropped. Each
     * record leaves the carried list once it is booked or refused, so a failure half-way leaves only the rest.
     */
    private void writeOneByOne(Connection connection, SQLException batchFailure) throws SQLException {
        int refused = 0;
        try {
            while (!carried.isEmpty()) {
                try {
                    written.addAndGet(writeBatch(connection, List.of(carried.get(0))));
                } catch (SQLException e) {
                    if (!isRefusalOfTheData(e)) {
                        throw e;
                    }
                    refused++;
                }
                carried.remove(0);
                pending.decrementAndGet();
            }
        } finally {
            if (refused > 0) {
                dropped.addAndGet(refused);
                LOG.error("The database refused the spend of {} requests ({}); they are dropped, the rest is written",
                        refused, batchFailure.getMessage());
            }
        }
    }

    /**
     * One transaction: with log rows, {@link SpendWriter#write}; without, {@link SpendWriter#writeWithoutLogs} with a
     * fresh marker, unconfirmed until it returns or the database refuses the data (a statement failed, so nothing
     * committed).
     *
     * @return how many records were booked
     */
    private int writeBatch(Connection connection, List<SpendRecord> records) throws SQLException {
        if (settings.spendLogs()) {
            return SpendWriter.write(connection, records);
        }
        String flushId = flushIds.next();
        unconfirmed = new Unconfirmed(flushId, records.size());
        int booked;
        try {
            booked = SpendWriter.writeWithoutLogs(connection, records, flushId, List.copyOf(settledMarkers));
        } catch (SQLException e) {
            if (isRefusalOfTheData(e)) {
                unconfirmed = null;
            }
            throw e;
        }
        unconfirmed = null;
        settledMarkers.clear();
        settledMarkers.add(flushId);
        return booked;
    }

    /** A flush without log rows whose commit was not confirmed: its marker, and the carried records it wrote. */
    private record Unconfirmed(String flushId, int records) {
    }

    private static boolean isRefusalOfTheData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** Answered requests waiting to be written: a metric. */
    public long pendingRecords() {
        return pending.get();
    }

    /** Requests written so far (each exactly once): a metric. */
    public long writtenRecords() {
        return written.get();
    }

    /** Requests whose spend was dropped because too many were pending: a metric. */
    public long droppedRecords() {
        return dropped.get();
    }

    /** Flushes the database refused: a metric. */
    public long failedFlushes() {
        return failedFlushes.get();
    }

    /**
     * Stops the schedule and writes what is pending; what the database then refuses is logged as lost. Call it after
     * the server has stopped taking requests, so that no answer is recorded after the last flush.
     */
    @Override
    public void close() {
        closed = true;
        if (flusher != null) {
            flusher.shutdown();
            try {
                flusher.awaitTermination(settings.flushInterval().toMillis() + 30_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!flush()) {
            LOG.error("Stopping with {} requests' spend not written: the database refused the last flush",
                    pendingRecords());
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // Never let one failure end the schedule.
            LOG.warn("Spend flush failed", e);
        }
    }
}
