package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.ProxyRole;
import io.claimgate.validator.AuthException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The database goes away under a running pool and comes back. The {@link Timeout}s only guard against a hang; how
 * fast a failure is reported is measured by benchmarks, not here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatabaseOutageIT {

    private static String databaseName;

    private TcpProxy proxy;
    private Database database;
    private Directory directory;

    @BeforeAll
    static void createDatabase() {
        String url = TestPostgres.freshDatabase();
        databaseName = url.replaceAll(".*/([^/?]+)\\?.*", "$1");
        Database.open(url).close();
        TestPostgres.execute(url, "INSERT INTO \"LiteLLM_TeamTable\" (team_id) VALUES ('team-1')");
    }

    @BeforeEach
    void connectThroughProxy() throws IOException {
        proxy = new TcpProxy(TestPostgres.server().getPort());
        database = Database.open(DatabaseSettings.of(TestPostgres.jdbcUrl(proxy.port(), databaseName))
                .withMaximumPoolSize(2));
        directory = new PostgresDirectory(database.dataSource());
    }

    @AfterEach
    void close() throws IOException {
        database.close();
        proxy.close();
    }

    @Test
    void answers503WhenTheDatabaseGoesAwayAndRecoversWhenItIsBack() throws IOException {
        assertThat(directory.team("team-1")).isPresent();

        proxy.cut();

        assertUnavailable(() -> directory.team("team-1"));
        // Later lookups meet the pool's other dead connection, then find none to open: the same 503, not a hang.
        for (int i = 0; i < 3; i++) {
            assertUnavailable(() -> directory.user("alice", "alice@example.com"));
        }
        assertUnavailable(() -> directory.createUserIfAbsent("carol", null, ProxyRole.INTERNAL_USER));

        proxy.restore();

        assertThat(retryUntilAvailable(() -> directory.team("team-1").isPresent())).isTrue();
        assertThat(directory.createUserIfAbsent("back", null, ProxyRole.INTERNAL_USER).userId()).isEqualTo("back");
    }

    @Test
    void answers503WhenTheDatabaseStopsAnsweringOnAnOpenConnection() {
        database.close();
        database = Database.open(DatabaseSettings.of(TestPostgres.jdbcUrl(proxy.port(), databaseName))
                .withSocketTimeout(Duration.ofSeconds(1)));
        directory = new PostgresDirectory(database.dataSource());
        assertThat(directory.team("team-1")).isPresent();

        proxy.freeze();

        assertUnavailable(() -> directory.team("team-1"));

        proxy.thaw();

        assertThat(retryUntilAvailable(() -> directory.team("team-1").isPresent())).isTrue();
    }

    @Test
    void doesNotRememberAFailureInTheCache() throws IOException {
        CachedDirectory cached = new CachedDirectory(directory);
        proxy.cut();
        assertUnavailable(() -> cached.team("team-1"));

        proxy.restore();

        assertThat(retryUntilAvailable(() -> cached.team("team-1").isPresent())).isTrue();
    }

    @Test
    void failsToOpenWithAClearMessageWhenNothingListens() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> Database.open(TestPostgres.jdbcUrl(closedPort, databaseName)))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("Cannot reach the database");
    }

    private static void assertUnavailable(ThrowingCallable lookup) {
        assertThatThrownBy(lookup).isInstanceOfSatisfying(AuthException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.reason()).isEqualTo("database_unavailable");
            assertThat(e.getMessage()).startsWith("Database unavailable");
        });
    }

    /**
     * The first lookups after the database is back may still meet connections the pool had not yet found dead; a
     * client retries those, as an HTTP client retries a 503.
     */
    private static boolean retryUntilAvailable(BooleanSupplier lookup) {
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                return lookup.getAsBoolean();
            } catch (AuthException e) {
                assertThat(e.status()).isEqualTo(503);
            }
        }
        return false;
    }
}
