package io.claimgate.gateway;

import java.sql.Connection;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * One dependency {@code /health/readiness} asks about, such as the database or the key source.
 *
 * @param name  the name shown in the readiness answer, e.g. {@code database}
 * @param check answers whether the dependency works now; must return within a few seconds; an exception counts as
 *              not ready
 */
public record ReadinessCheck(String name, BooleanSupplier check) {

    public ReadinessCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
    }

    /** Ready when a connection can be borrowed and validated within the timeout. */
    public static ReadinessCheck database(DataSource dataSource, Duration timeout) {
        int seconds = (int) Math.max(1, timeout.toSeconds());
        return new ReadinessCheck("database", () -> {
            try (Connection c = dataSource.getConnection()) {
                return c.isValid(seconds);
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Whether the dependency is ready; never throws. */
    public boolean ready() {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
