package io.claimgate.validator.gateway;

import io.claimgate.validator.Authenticator;
import io.claimgate.validator.gateway.config.GatewayConfig;
import io.claimgate.validator.gateway.management.ObjectChangeListener;
import io.claimgate.validator.gateway.metrics.GatewayMetrics;
import java.util.List;
import javax.sql.DataSource;

/**
 * What {@code serve} needs besides the configuration: the JWT authenticator, the database and what depends on them.
 * Built by a {@link Factory} found with {@link java.util.ServiceLoader}, so that the command line does not depend on
 * how the pipeline and the store are assembled. {@link #close()} stops what the factory started (pool, embedded
 * PostgreSQL, key refresh), after the server has stopped.
 */
public interface GatewayComponents extends AutoCloseable {

    /** The JWT pipeline; the gateway adds the master key in front of it. */
    Authenticator authenticator();

    /** The database with LiteLLM's tables, migrated. */
    DataSource dataSource();

    /** Cache invalidation for management changes. */
    ObjectChangeListener changes();

    /** What {@code /health/readiness} asks: at least the database and the key source. */
    List<ReadinessCheck> readinessChecks();

    @Override
    void close();

    /** Assembles the components for a configuration; registered in {@code META-INF/services}. */
    interface Factory {

        /**
         * @param config  the validated configuration
         * @param metrics where to register JWKS fetches, cache hits and pool gauges
         */
        GatewayComponents create(GatewayConfig config, GatewayMetrics metrics);
    }
}
