package io.claimgate.gateway.spend;

import io.claimgate.gateway.metrics.GatewayMetrics;

/** Registers what spend tracking reports, under the names docs/spend-and-limits.md gives. */
public final class SpendMetrics {

    private SpendMetrics() {
    }

    /**
     * Adds {@code claimgate_spend_unpriced_answers_total}, {@code claimgate_spend_pending_records},
     * {@code claimgate_spend_written_total}, {@code claimgate_spend_dropped_total} and
     * {@code claimgate_spend_failed_flushes_total}.
     */
    public static void register(GatewayMetrics metrics, CostCalculator costs, SpendLedger ledger) {
        metrics.counter("claimgate.spend.unpriced.answers", "Answers recorded at cost 0 because their model has no "
                        + "price", costs::unpricedAnswers)
                .gauge("claimgate.spend.pending.records", "Answered requests whose spend waits to be written",
                        ledger::pendingRecords)
                .counter("claimgate.spend.written", "Answered requests whose spend was written",
                        ledger::writtenRecords)
                .counter("claimgate.spend.dropped", "Answered requests whose spend was dropped (too many pending, "
                        + "or refused by the database)", ledger::droppedRecords)
                .counter("claimgate.spend.failed.flushes", "Spend flushes the database refused",
                        ledger::failedFlushes);
    }
}
