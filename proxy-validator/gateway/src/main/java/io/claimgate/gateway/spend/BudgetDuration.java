package io.claimgate.gateway.spend;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code budget_duration} ({@code 30s}, {@code 30m}, {@code 1h}, {@code 1d}, {@code 7d}, {@code 30d}, {@code 2w},
 * {@code 1mo}) and the next time a budget with it resets, computed as LiteLLM's
 * {@code get_next_standardized_reset_time} does, so that budgets reset at the same moments whichever side resets
 * them:
 *
 * <ul>
 *   <li>{@code 1d}: next midnight; {@code 7d} (and {@code 1w}): next Monday, midnight; {@code 30d}: the 1st of next
 *       month, midnight; other {@code Nd}: midnight today plus N days; {@code Nw}: as {@code 7N d}</li>
 *   <li>{@code Nh}, {@code Nm}, {@code Ns}: the next hour, minute or second that is a multiple of N (from midnight,
 *       within the hour, within the minute)</li>
 *   <li>{@code 1mo}: the 1st of next month, midnight (LiteLLM refuses other month counts)</li>
 *   <li>a value of 0: now; an unknown unit or an unreadable value: next midnight</li>
 * </ul>
 */
public final class BudgetDuration {

    /** LiteLLM's pattern: digits, then letters, at the start; anything after is ignored. */
    private static final Pattern FORMAT = Pattern.compile("^(\\d+)([a-z]+)");

    private final String text;
    private final long value;
    private final String unit;

    private BudgetDuration(String text, long value, String unit) {
        this.text = text;
        this.value = value;
        this.unit = unit;
    }

    /**
     * The duration, or empty for LiteLLM's "no duration" values ({@code null}, blank, {@code none}, {@code null}).
     * A value LiteLLM cannot read either is kept, and resets at the next midnight as in LiteLLM.
     */
    public static Optional<BudgetDuration> parse(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("none")
                || text.trim().equalsIgnoreCase("null")) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.find()) {
            return Optional.of(new BudgetDuration(text, -1, ""));
        }
        long value;
        try {
            value = Long.parseLong(m.group(1));
        } catch (NumberFormatException tooLong) {
            return Optional.of(new BudgetDuration(text, -1, ""));
        }
        return Optional.of(new BudgetDuration(text, value, m.group(2)));
    }

    /**
     * The next reset after {@code now} ({@code now} itself for a zero duration), on {@code zone}'s calendar; LiteLLM's
     * default is UTC.
     *
     * @throws IllegalArgumentException for {@code Nmo} with N other than 1, which LiteLLM refuses too
     */
    public Instant nextResetAfter(Instant now, ZoneId zone) {
        ZonedDateTime current = now.atZone(zone);
        ZonedDateTime midnight = current.truncatedTo(ChronoUnit.DAYS);
        if (value < 0) {
            return midnight.plusDays(1).toInstant();
        }
        return switch (unit) {
            case "d" -> days(current, midnight, value).toInstant();
            case "w" -> days(current, midnight, value * 7).toInstant();
            case "h" -> value == 0 ? now : aligned(midnight, current.getHour(), value, ChronoUnit.HOURS, 24);
            case "m" -> value == 0 ? now : minutes(current, midnight);
            case "s" -> value == 0 ? now : seconds(current, midnight);
            case "mo" -> {
                if (value != 1) {
                    throw new IllegalArgumentException("budget_duration " + text
                            + ": monthly resets support only 1 month (1mo), as in LiteLLM");
                }
                yield midnight.with(TemporalAdjusters.firstDayOfNextMonth()).toInstant();
            }
            default -> midnight.plusDays(1).toInstant();
        };
    }

    @Override
    public String toString() {
        return text;
    }

    private static ZonedDateTime days(ZonedDateTime current, ZonedDateTime midnight, long days) {
        if (days == 0) {
            return current;
        }
        if (days == 1) {
            return midnight.plusDays(1);
        }
        if (days == 7) {
            int untilMonday = (7 - (current.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue())) % 7;
            return midnight.plusDays(untilMonday == 0 ? 7 : untilMonday);
        }
        if (days == 30) {
            return midnight.with(TemporalAdjusters.firstDayOfNextMonth());
        }
        return midnight.plusDays(days);
    }

    /** The next multiple of {@code step} above {@code position}, wrapping past {@code per} into the next day. */
    private static Instant aligned(ZonedDateTime midnight, long position, long step, ChronoUnit unit, long per) {
        long next = position + step - (position % step);
        if (next >= per) {
            return midnight.plusDays(1).plus(next % per, unit).toInstant();
        }
        return midnight.plus(next, unit).toInstant();
    }

    private Instant minutes(ZonedDateTime current, ZonedDateTime midnight) {
        long minute = current.getMinute();
        long next = minute + value - (minute % value);
        long hour = current.getHour() + next / 60;
        next %= 60;
        ZonedDateTime day = hour >= 24 ? midnight.plusDays(1) : midnight;
        return day.plusHours(hour % 24).plusMinutes(next).toInstant();
    }

    private Instant seconds(ZonedDateTime current, ZonedDateTime midnight) {
        long second = current.getSecond();
        long next = second + value - (second % value);
        long minute = current.getMinute() + next / 60;
        next %= 60;
        long hour = current.getHour() + minute / 60;
        minute %= 60;
        ZonedDateTime day = hour >= 24 ? midnight.plusDays(1) : midnight;
        return day.plusHours(hour % 24).plusMinutes(minute).plusSeconds(next).toInstant();
    }
}
