package io.claimgate.gateway.store;

import io.claimgate.validator.store.DatabaseException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by Claimgate itself, for a gateway started without a {@code DATABASE_URL}.
 *
 * <p>The data lives in a directory that survives restarts ({@code ./data} by default): the first start creates the
 * cluster there, later starts reuse it, so teams and users created through the management API are kept. The server
 * listens on the loopback interface only and trusts every local connection, so it suits one machine, not production;
 * use {@code DATABASE_URL} for a shared server.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** Where the data lives unless told otherwise, relative to the working directory. */
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts on a free port with the data in {@link #DEFAULT_DATA_DIRECTORY}. */
    public static EmbeddedDatabase start() {
        return start(DEFAULT_DATA_DIRECTORY, 0);
    }

    /**
     * Starts the server, creating the cluster in {@code dataDirectory} if it holds none yet.
     *
     * @param dataDirectory where the data lives; created if missing, reused if it already holds a cluster
     * @param port          the port to listen on, or 0 for a free one
     * @throws DatabaseException when the server cannot start, for instance because another process uses the
     *                           directory or the port
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
        Path directory = dataDirectory.toAbsolutePath().normalize();
        boolean reused = Files.exists(directory.resolve("PG_VERSION"));
        try {
            Files.createDirectories(directory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    // Keep the data: this is the gateway's database, not a test fixture.
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(STARTUP_WAIT);
            if (port != 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            LOG.info("Embedded PostgreSQL started on port {} with {} data in {}", postgres.getPort(),
                    reused ? "existing" : "new", directory);
            return new EmbeddedDatabase(postgres);
        } catch (IOException | RuntimeException e) {
            throw new DatabaseException("Cannot start the embedded PostgreSQL with data in " + directory
                    + (port == 0 ? "" : " on port " + port) + ": " + e.getMessage()
                    + ". Is another gateway using this directory or port? Is the directory a PostgreSQL data "
                    + "directory or empty?", e);
        }
    }

    /** The JDBC URL of the {@code postgres} database as the {@code postgres} superuser. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The port the server listens on. */
    public int port() {
        return postgres.getPort();
    }

    /** Stops the server; the data stays in the directory. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
