package io.claimgate.validator.store;

import io.claimgate.model.SettingsException;
import java.time.Duration;
import java.util.Objects;

/**
 * How Claimgate connects to PostgreSQL: where, how many connections, how long to wait, and whether to migrate.
 *
 * <p>The defaults favour failing fast over waiting: a request that needs the database while it is down gets a 503
 * after {@link #connectionTimeout()} (2 s), not after a client's own timeout, and a server that accepts a connection
 * but never answers is abandoned after {@link #socketTimeout()}.
 *
 * @param url               where the database is
 * @param maximumPoolSize   connections kept open at most (default 10); lookups are short and cached, so few suffice
 * @param connectionTimeout the longest a lookup waits for a connection before failing with 503 (default 2 s)
 * @param validationTimeout the longest a connection's liveness check may take (default 1 s, below the above)
 * @param socketTimeout     the longest the driver waits for any answer on an open connection (default 5 s)
 * @param migrate           whether to create and upgrade the tables at start (default true); turn off to use a
 *                          database that LiteLLM manages, whose tables are then only checked
 */
public record DatabaseSettings(DatabaseUrl url, int maximumPoolSize, Duration connectionTimeout,
                               Duration validationTimeout, Duration socketTimeout, boolean migrate) {

    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(5);

    /** HikariCP refuses shorter connection and validation timeouts. */
    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(250);

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        if (maximumPoolSize < 1) {
            throw new SettingsException("database.maximum_pool_size", "is " + maximumPoolSize + "; must be at least 1");
        }
        requireAtLeast("database.connection_timeout", connectionTimeout, SHORTEST_TIMEOUT);
        requireAtLeast("database.validation_timeout", validationTimeout, SHORTEST_TIMEOUT);
        requireAtLeast("database.socket_timeout", socketTimeout, Duration.ofSeconds(1));
        if (validationTimeout.compareTo(connectionTimeout) >= 0) {
            throw new SettingsException("database.validation_timeout", "is " + validationTimeout
                    + "; must be shorter than database.connection_timeout (" + connectionTimeout + ")");
        }
    }

    /** The defaults for a database at this {@code DATABASE_URL} or JDBC URL. */
    public static DatabaseSettings of(String url) {
        return of(DatabaseUrl.parse(url));
    }

    /** The defaults for a database at this location. */
    public static DatabaseSettings of(DatabaseUrl url) {
        return new DatabaseSettings(url, DEFAULT_MAXIMUM_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT,
                DEFAULT_VALIDATION_TIMEOUT, DEFAULT_SOCKET_TIMEOUT, true);
    }

    public DatabaseSettings withMaximumPoolSize(int size) {
        return new DatabaseSettings(url, size, connectionTimeout, validationTimeout, socketTimeout, migrate);
    }

    public DatabaseSettings withConnectionTimeout(Duration timeout) {
        return new DatabaseSettings(url, maximumPoolSize, timeout, validationTimeout, socketTimeout, migrate);
    }

    public DatabaseSettings withValidationTimeout(Duration timeout) {
        return new DatabaseSettings(url, maximumPoolSize, connectionTimeout, timeout, socketTimeout, migrate);
    }

    public DatabaseSettings withSocketTimeout(Duration timeout) {
        return new DatabaseSettings(url, maximumPoolSize, connectionTimeout, validationTimeout, timeout, migrate);
    }

    public DatabaseSettings withMigrate(boolean on) {
        return new DatabaseSettings(url, maximumPoolSize, connectionTimeout, validationTimeout, socketTimeout, on);
    }

    private static void requireAtLeast(String key, Duration value, Duration least) {
        Objects.requireNonNull(value, key);
        if (value.compareTo(least) < 0) {
            throw new SettingsException(key, "is " + value + "; must be at least " + least);
        }
    }
}
