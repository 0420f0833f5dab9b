package io.claimgate.validator.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real PostgreSQL for all integration tests in the JVM, and a fresh database in it for each test class, so that
 * classes cannot see each other's rows. The server stops with the JVM.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    /** The shared server, started on first use. */
    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            // One directory, emptied when a test JVM starts: a run leaves at most one cluster behind, not one each.
            Path dataDirectory = Path.of("target", "it-postgres");
            deleteRecursively(dataDirectory);
            try {
                server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory.toAbsolutePath())
                        .setCleanDataDirectory(false).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // The JVM is exiting; the next run empties the directory.
                }
            }, "it-postgres-stop"));
        }
        return server;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (NoSuchFileException e) {
            // Nothing left from an earlier run.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + directory, e);
        }
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static String freshDatabase() {
        String name = "it_" + DATABASES.incrementAndGet() + "_" + Long.toHexString(System.nanoTime());
        execute(jdbcUrl(server().getPort(), "postgres"), "CREATE DATABASE " + name);
        return jdbcUrl(server().getPort(), name);
    }

    /** The JDBC URL of a database on the given port, as the superuser. */
    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=postgres";
    }

    /** Runs statements on a connection of its own, outside any pool. */
    public static void execute(String jdbcUrl, String... sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            for (String one : sql) {
                statement.execute(one);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test setup failed: " + e.getMessage(), e);
        }
    }
}
