-- Spend flush markers, for general_settings.disable_spend_logs (LiteLLM's setting: no LiteLLM_SpendLogs rows).
-- By default a request's log row is what makes its spend count once: a flush retried after a commit whose answer was
-- lost finds the rows and adds nothing again. Without log rows, each flush writes one marker here in its own
-- transaction instead, and a flush that failed is looked up before its records are written again: a marker means it
-- committed. Markers of flushes known to have committed are deleted by the next flush, so the table holds a few rows
-- per replica. Claimgate's own table: LiteLLM neither reads nor writes it.
CREATE TABLE IF NOT EXISTS "claimgate_spend_flushes" (
    "flush_id"   TEXT         NOT NULL,
    "written_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claimgate_spend_flushes_pkey" PRIMARY KEY ("flush_id")
);
