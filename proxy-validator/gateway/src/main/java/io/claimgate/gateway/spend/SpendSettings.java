package io.claimgate.gateway.spend;

import java.time.Duration;

/**
 * How the ledger batches its writes.
 *
 * @param flushInterval how often pending spend is written; LiteLLM's default is 10 s
 *                      ({@code proxy_batch_write_at}). A crash loses at most this much spend.
 * @param maxPending    how many answered requests may wait in memory, e.g. while the database is down; past it new
 *                      records are dropped and counted. 100,000 records take about 12 MB (a record and its queue
 *                      node, ~120 bytes; ids and model names are shared).
 * @param flushAt       how many queued records start a flush before the interval is up: at 10,000 requests a
 *                      second, ten seconds' worth would be 100,000 records in memory, promoted to the old generation
 *                      before they are written, and close to {@code maxPending} with a healthy database
 * @param spendLogs     one {@code LiteLLM_SpendLogs} row per request (the default); {@code false} with LiteLLM's
 *                      {@code general_settings.disable_spend_logs}: only the owners' spend is added, and each flush
 *                      leaves a marker row instead, so that a retried flush still counts once
 */
public record SpendSettings(Duration flushInterval, int maxPending, int flushAt, boolean spendLogs) {

    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_PENDING = 100_000;
    public static final int DEFAULT_FLUSH_AT = 5_000;

    public SpendSettings {
        if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("the spend flush interval must be positive, got " + flushInterval);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("the pending spend bound must be at least 1, got " + maxPending);
        }
        if (flushAt < 1) {
            throw new IllegalArgumentException("the early flush size must be at least 1, got " + flushAt);
        }
    }

    public static SpendSettings defaults() {
        return new SpendSettings(DEFAULT_FLUSH_INTERVAL, DEFAULT_MAX_PENDING, DEFAULT_FLUSH_AT, true);
    }

    public SpendSettings withFlushInterval(Duration interval) {
        return new SpendSettings(interval, maxPending, flushAt, spendLogs);
    }

    public SpendSettings withMaxPending(int bound) {
        return new SpendSettings(flushInterval, bound, flushAt, spendLogs);
    }

    public SpendSettings withFlushAt(int records) {
        return new SpendSettings(flushInterval, maxPending, records, spendLogs);
    }

    public SpendSettings withSpendLogs(boolean written) {
        return new SpendSettings(flushInterval, maxPending, flushAt, written);
    }
}
