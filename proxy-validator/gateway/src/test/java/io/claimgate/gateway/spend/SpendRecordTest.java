package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpendRecordTest {

    private static final Usage USAGE = new Usage(12, 30, 42);
    private static final Instant START = Instant.parse("2026-11-30T10:00:00.123456Z");
    private static final Instant END = Instant.parse("2026-11-30T10:00:01.500Z");

    @Test
    void spellsADrawnIdAsTheIdsWouldAndTheSameEveryTime() {
        RequestIds ids = new RequestIds();
        long number = ids.nextNumber();

        SpendRecord record = new SpendRecord(ids, number, "acompletion", "gpt-4o", "alice", "team-1", "org-1", null,
                USAGE, 0.25, START.toEpochMilli(), END);

        assertThat(record.requestId())
                .isEqualTo(RequestIds.spell(ids.prefix(), number))
                .isEqualTo(record.requestId())
                .startsWith("claimgate-")
                .isNotEqualTo(ids.next());
    }

    @Test
    void givesBackWhatItWasGiven() {
        SpendRecord record = new SpendRecord("req-1", "aembedding", "text-embedding-3", "alice", "team-1", "org-1",
                "customer-7", USAGE, 0.5, START, END);

        assertThat(record.requestId()).isEqualTo("req-1");
        assertThat(record.callType()).isEqualTo("aembedding");
        assertThat(record.model()).isEqualTo("text-embedding-3");
        assertThat(record.userId()).isEqualTo("alice");
        assertThat(record.teamId()).isEqualTo("team-1");
        assertThat(record.organizationId()).isEqualTo("org-1");
        assertThat(record.endUserId()).isEqualTo("customer-7");
        assertThat(record.usage()).isEqualTo(USAGE);
        assertThat(record.spend()).isEqualTo(0.5);
        assertThat(record.startTime()).as("kept to the microsecond").isEqualTo(START);
        assertThat(record.endTime()).isEqualTo(END);
        assertThat(record.durationMillis()).isEqualTo(1377);
    }

    @Test
    void keepsTimesBeforeTheEpochAndNeverAReversedDuration() {
        Instant before = Instant.parse("1969-12-31T23:59:59.999001Z");
        SpendRecord record = new SpendRecord("req-2", "acompletion", "m", null, null, null, null, Usage.NONE, 0,
                START, before);

        assertThat(record.endTime()).isEqualTo(before);
        assertThat(record.durationMillis()).isZero();
    }

    @Test
    void dropsOnlyTheEndUser() {
        RequestIds ids = new RequestIds();
        SpendRecord record = new SpendRecord(ids, ids.nextNumber(), "acompletion", "gpt-4o", "alice", "team-1",
                "org-1", "x".repeat(3000), USAGE, 0.25, START.toEpochMilli(), END);

        SpendRecord without = record.withoutEndUser();

        assertThat(without.endUserId()).isNull();
        assertThat(without.requestId()).isEqualTo(record.requestId());
        assertThat(without.teamId()).isEqualTo("team-1");
        assertThat(without.usage()).isEqualTo(USAGE);
        assertThat(without.startTime()).isEqualTo(record.startTime());
    }

    @Test
    void replacesNulInWhatTheRequestSentAndRefusesWhatCannotBeBooked() {
        SpendRecord record = new SpendRecord("req-3", "acompletion", "gpt\u00004o", null, null, null, "cust\u0000",
                USAGE, 0, START, END);

        assertThat(record.model()).isEqualTo("gpt\uFFFD4o");
        assertThat(record.endUserId()).isEqualTo("cust\uFFFD");
        assertThatThrownBy(() -> new SpendRecord(" ", "acompletion", "m", null, null, null, null, USAGE, 0, START,
                END)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("request id");
        assertThatThrownBy(() -> new SpendRecord("req-4", "acompletion", "m", null, null, null, null, USAGE,
                Double.NaN, START, END)).isInstanceOf(IllegalArgumentException.class);
    }
}
