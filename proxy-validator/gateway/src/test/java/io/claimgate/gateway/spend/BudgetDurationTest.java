package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class BudgetDurationTest {

    /** A Wednesday. */
    private static final Instant NOW = Instant.parse("2026-11-25T10:17:42.5Z");

    private static Instant next(String duration) {
        return BudgetDuration.parse(duration).orElseThrow().nextResetAfter(NOW, ZoneOffset.UTC);
    }

    @ParameterizedTest(name = "{0} resets at {1}")
    @CsvSource({
        "1d,  2026-11-26T00:00:00Z",
        "7d,  2026-11-30T00:00:00Z",
        "1w,  2026-11-30T00:00:00Z",
        "30d, 2026-12-01T00:00:00Z",
        "3d,  2026-11-28T00:00:00Z",
        "2w,  2026-12-09T00:00:00Z",
        "1h,  2026-11-25T11:00:00Z",
        "4h,  2026-11-25T12:00:00Z",
        "30h, 2026-11-26T06:00:00Z",
        "30m, 2026-11-25T10:30:00Z",
        "15m, 2026-11-25T10:30:00Z",
        "90m, 2026-11-25T11:30:00Z",
        "30s, 2026-11-25T10:18:00Z",
        "20s, 2026-11-25T10:18:00Z",
        "1mo, 2026-12-01T00:00:00Z",
        "0d,  2026-11-25T10:17:42.5Z",
        "5x,  2026-11-26T00:00:00Z",
        "weekly, 2026-11-26T00:00:00Z",
    })
    void resetsAtLiteLlmsStandardisedTimes(String duration, String expected) {
        assertThat(next(duration)).isEqualTo(Instant.parse(expected));
    }

    @Test
    void wrapsPastMidnightAndTheEndOfTheYear() {
        Instant lateOnNewYearsEve = Instant.parse("2026-12-31T23:59:50Z");

        assertThat(BudgetDuration.parse("1h").orElseThrow().nextResetAfter(lateOnNewYearsEve, ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetDuration.parse("30d").orElseThrow().nextResetAfter(lateOnNewYearsEve, ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetDuration.parse("30s").orElseThrow().nextResetAfter(lateOnNewYearsEve, ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void resetsOnTheCalendarOfTheGivenZone() {
        Instant next = BudgetDuration.parse("1d").orElseThrow().nextResetAfter(NOW, ZoneId.of("Asia/Kolkata"));

        assertThat(next).isEqualTo(Instant.parse("2026-11-25T18:30:00Z"));
    }

    @Test
    void refusesMonthCountsLiteLlmRefuses() {
        BudgetDuration twoMonths = BudgetDuration.parse("2mo").orElseThrow();

        assertThatThrownBy(() -> twoMonths.nextResetAfter(NOW, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2mo");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  ", "None", "null"})
    void readsLiteLlmsNoDurationValuesAsNone(String duration) {
        assertThat(BudgetDuration.parse(duration)).isEmpty();
    }
}
