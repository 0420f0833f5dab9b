package io.claimgate.validator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool to PostgreSQL, with the schema made ready at start.
 *
 * <p>Opening migrates the tables (or, with migrations off, checks that LiteLLM's tables are there) and fails with a
 * {@link DatabaseException} naming the problem when the database cannot be used. Once open, the pool reconnects by
 * itself: while the database is down each lookup fails within the connection timeout, and when it is back the next
 * lookup succeeds, without a restart.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the pool and migrates or checks the schema as the settings say. */
    public static Database open(DatabaseSettings settings) {
        Objects.requireNonNull(settings, "settings");
        LOG.info("Opening database {} (pool {} connections, connection timeout {} ms, migrations {})",
                settings.url().redactedJdbcUrl(), settings.maximumPoolSize(), settings.connectionTimeout().toMillis(),
                settings.migrate() ? "on" : "off");
        HikariDataSource dataSource = new HikariDataSource(poolConfig(settings));
        try {
            if (settings.migrate()) {
                Schema.migrate(dataSource, settings.url());
            } else {
                Schema.verify(dataSource);
            }
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    /** Opens the database at this {@code DATABASE_URL} or JDBC URL with the default settings. */
    public static Database open(String url) {
        return open(DatabaseSettings.of(url));
    }

    /** The pool, for the directory and for the management API's writes. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Connections lent out right now. */
    public int activeConnections() {
        return pool().getActiveConnections();
    }

    /** Open connections waiting in the pool. */
    public int idleConnections() {
        return pool().getIdleConnections();
    }

    /** Open connections, active or idle. */
    public int totalConnections() {
        return pool().getTotalConnections();
    }

    /** Threads waiting for a connection: above zero for long means the pool is too small or the database slow. */
    public int pendingThreads() {
        return pool().getThreadsAwaitingConnection();
    }

    /**
     * A connection of its own, outside the pool, for a holder that keeps it for its whole life (the change notices'
     * {@code LISTEN}): taken from the pool it would shrink the pool for every request. Same URL, credentials and
     * timeouts as the pool's; the caller closes it.
     */
    public Connection openDedicatedConnection() throws SQLException {
        Properties properties = new Properties();
        properties.putAll(dataSource.getDataSourceProperties());
        if (dataSource.getUsername() != null) {
            properties.setProperty("user", dataSource.getUsername());
        }
        if (dataSource.getPassword() != null) {
            properties.setProperty("password", dataSource.getPassword());
        }
        properties.setProperty("ApplicationName", "claimgate-notices");
        return DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private HikariPoolMXBean pool() {
        return dataSource.getHikariPoolMXBean();
    }

    private static HikariConfig poolConfig(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("claimgate-db");
        config.setJdbcUrl(settings.url().jdbcUrl());
        if (settings.url().user() != null) {
            config.setUsername(settings.url().user());
        }
        if (settings.url().password() != null) {
            config.setPassword(settings.url().password());
        }
        config.setMaximumPoolSize(settings.maximumPoolSize());
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(settings.validationTimeout().toMillis());
        // The pool is built even when the database is down, so that the schema step can say what is wrong.
        config.setInitializationFailTimeout(-1);
        // The driver's own timeouts, in whole seconds: opening a socket, and waiting for any answer on it, so that a
        // database that accepts connections but hangs fails the request instead of holding it.
        config.addDataSourceProperty("connectTimeout", wholeSeconds(settings.connectionTimeout()));
        config.addDataSourceProperty("socketTimeout", wholeSeconds(settings.socketTimeout()));
        config.addDataSourceProperty("ApplicationName", "claimgate");
        return config;
    }

    private static String wholeSeconds(Duration duration) {
        return Long.toString(Math.max(1, (duration.toMillis() + 999) / 1000));
    }
}
