package io.claimgate.validator.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for all integration tests in the JVM, and a fresh database in it for each test class, so that
 * classes cannot see each other's rows. The server stops with the JVM.
 */
final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedDatabase server;

    private TestPostgres() {
    }

    /** The shared server, started on first use. */
    static synchronized EmbeddedDatabase server() {
        if (server == null) {
            server = EmbeddedDatabase.start(Path.of("target", "it-postgres-" + UUID.randomUUID()), 0);
            EmbeddedDatabase started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "it-postgres-stop"));
        }
        return server;
    }

    /** Creates an empty database and returns its JDBC URL. */
    static String freshDatabase() {
        String name = "it_" + DATABASES.incrementAndGet() + "_" + Long.toHexString(System.nanoTime());
        execute(server().jdbcUrl(), "CREATE DATABASE " + name);
        return jdbcUrl(server().port(), name);
    }

    /** The JDBC URL of a database on the given port, as the superuser. */
    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=postgres";
    }

    /** Runs statements on a connection of its own, outside any pool. */
    static void execute(String jdbcUrl, String... sql) {
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
