package io.claimgate.gateway;

import io.claimgate.validator.Authenticator;
import io.claimgate.gateway.management.ObjectChangeListener;
import java.util.List;
import javax.sql.DataSource;

/**
 * What {@code serve} needs besides the configuration: the JWT authenticator, the database and what depends on them.
 * {@link JwtGatewayComponents} builds them from the configuration; tests may pass their own. {@link #close()} stops
 * what was started (pool, embedded PostgreSQL, key refresh), after the server has stopped.
 */
public interface GatewayComponents extends AutoCloseable {

    /** The JWT pipeline; the gateway adds the master key in front of it. */
    Authenticator authenticator();

    /** The database with LiteLLM's tables, migrated. */
    DataSource dataSource();

    /** Cache invalidation for management changes. */
    ObjectChangeListener changes();

    /**
     * Runs {@code action} after every change another replica or another system announced, e.g. to drop the gateway's
     * remembered rate limits. Components without change notices ignore it.
     */
    default void onAnyChange(Runnable action) {
    }

    /** What {@code /health/readiness} asks: at least the database and the key source. */
    List<ReadinessCheck> readinessChecks();

    @Override
    void close();
}
