package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.GatewayServer;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.config.SpendConfig;
import io.claimgate.gateway.limits.redis.RedisSettings;
import io.claimgate.gateway.management.AnnouncedChanges;
import io.claimgate.gateway.management.ObjectChangeListener;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.store.EmbeddedDatabase;
import io.claimgate.gateway.support.Http;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.store.CachedDirectory;
import io.claimgate.validator.store.ChangeNotices;
import io.claimgate.validator.store.ChangeSubscriber;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.NoticeEviction;
import io.claimgate.validator.store.PostgresDirectory;
import io.claimgate.validator.store.TcpProxy;
import io.claimgate.validator.store.TestPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/**
 * Two gateway replicas in one JVM sharing one PostgreSQL, each with its own pool, object cache, change subscriber and
 * spend ledger, as two processes behind a load balancer would be.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplicasIT {

    private static final String MASTER_KEY = "sk-master-replicas";
    private static final Duration FLUSH = Duration.ofMillis(250);

    @TempDir
    static Path dataDirectory;

    private static EmbeddedDatabase postgres;
    private static ScriptedUpstream upstream;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedDatabase.start(dataDirectory, 0);
        // Migrated once, with the V3 triggers.
        Database.open(postgres.jdbcUrl()).close();
        upstream = new ScriptedUpstream();
    }

    @AfterAll
    static void stop() {
        upstream.close();
        postgres.close();
    }

    /** One gateway process: its own pool, cache, notices and ledger, reaching PostgreSQL on {@code port}. */
    private static final class Replica implements AutoCloseable {

        final Database database;
        final CachedDirectory cache;
        final ChangeSubscriber subscriber;
        /** Open once the subscriber has dropped the cache on starting to listen (its first notice, {@code all:}). */
        final CountDownLatch listening = new CountDownLatch(1);
        final GatewayServer server;
        final Http http;

        Replica(int port) {
            this(port, null);
        }

        /** With {@code redis}, the replica counts its rate limits in that Redis, shared with the others. */
        Replica(int port, RedisSettings redis) {
            database = Database.open("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres");
            cache = new CachedDirectory(new PostgresDirectory(database.dataSource()));
            List<Runnable> alsoOnChange = new CopyOnWriteArrayList<>(List.of(listening::countDown));
            subscriber = ChangeSubscriber.start(database::openDedicatedConnection,
                    new NoticeEviction(cache, alsoOnChange));
            ObjectChangeListener local = new ObjectChangeListener() {
                @Override
                public void teamChanged(String teamId) {
                    cache.invalidateTeam(teamId);
                }
            };
            GatewaySettings settings = GatewaySettings.defaults().withListener("127.0.0.1", 0)
                    .withUpstream(upstream.uri(), "sk-upstream")
                    .withSpend(SpendConfig.defaults().withFlushInterval(FLUSH).withRedis(redis));
            GatewayConfig config = new GatewayConfig(true, JwtAuthSettings.defaults(), MASTER_KEY, null,
                    List.of("gpt-4o"), settings, List.of());
            server = new GatewayServer(config, new DirectoryAuthenticator(cache), database.dataSource(),
                    new AnnouncedChanges(local, new ChangeNotices(database.dataSource())), List.of(),
                    new GatewayMetrics()).start();
            alsoOnChange.add(server::forgetCachedLimits);
            http = new Http(server.uri());
        }

        URI uri() {
            return server.uri();
        }

        HttpResponse<String> call(String team, String cost) throws Exception {
            return http.send(http.request("/v1/chat/completions")
                    .header("Authorization", "Bearer " + DirectoryAuthenticator.token(team))
                    .header("Content-Type", "application/json").header("x-test-cost", cost)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[]}")));
        }

        @Override
        public void close() {
            server.close();
            subscriber.close();
            database.close();
        }
    }

    private static String newTeam() {
        String team = "team-" + UUID.randomUUID();
        TestPostgres.execute(postgres.jdbcUrl(),
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id, models) VALUES ('" + team + "', '{}')");
        return team;
    }

    private static double number(String sql) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(postgres.jdbcUrl());
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getDouble(1);
        }
    }

    /** Costs of k/1024 dollars add up exactly in binary floating point, in whatever order replicas add them. */
    private static String cost(int i) {
        return Double.toString((i % 8 + 1) / 1024.0);
    }

    @Test
    void sixHundredRequestsOverBothReplicasAgainstRpm300AdmitThreeHundredThroughTheSharedRedis() throws Exception {
        int redisPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            redisPort = socket.getLocalPort();
        }
        RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
        // A command timeout for a busy test machine: two cold replicas, PostgreSQL and Redis share its cores, and an
        // admission that outlives the 250 ms default falls back to per-replica counting (tested on its own in
        // RedisRateLimitsIT), which is not what this test is about: that replicas share one limit through Redis.
        RedisSettings shared = RedisSettings.from(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT",
                Integer.toString(redisPort)), Map.of()).orElseThrow().withTimeout(Duration.ofSeconds(5));
        try (Replica a = new Replica(postgres.port(), shared); Replica b = new Replica(postgres.port(), shared)) {
            // given a team allowed 300 requests a minute, behind two replicas
            String team = newTeam();
            TestPostgres.execute(postgres.jdbcUrl(),
                    "UPDATE \"LiteLLM_TeamTable\" SET rpm_limit = 300 WHERE team_id = '" + team + "'");

            // when 600 requests are spread over both at once
            AtomicInteger admitted = new AtomicInteger();
            AtomicInteger limited = new AtomicInteger();
            List<Integer> other = new CopyOnWriteArrayList<>();
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 600; i++) {
                    Replica replica = i % 2 == 0 ? a : b;
                    calls.add(callers.submit(() -> {
                        HttpResponse<String> response = replica.call(team, "0");
                        if (response.statusCode() == 200) {
                            admitted.incrementAndGet();
                        } else if (response.statusCode() == 429
                                && response.headers().firstValue("retry-after").isPresent()) {
                            limited.incrementAndGet();
                        } else {
                            other.add(response.statusCode());
                        }
                        return null;
                    }));
                }
                for (Future<?> call : calls) {
                    call.get(60, TimeUnit.SECONDS);
                }
            } finally {
                callers.shutdownNow();
            }

            // then the two replicas admitted the team's limit once between them, not once each
            assertThat(other).isEmpty();
            assertThat(admitted.get()).isBetween(294, 306);
            assertThat(admitted.get() + limited.get()).isEqualTo(600);
        } finally {
            redis.stop();
        }
    }

    @Test
    void aTeamBlockedThroughOneReplicaIsRefusedByTheOtherWithinASecond() throws Exception {
        try (Replica a = new Replica(postgres.port()); Replica b = new Replica(postgres.port())) {
            // given a team that replica B has served, and so caches
            String team = newTeam();
            assertThat(b.call(team, "0").statusCode()).isEqualTo(200);
            assertThat(b.call(team, "0").statusCode()).isEqualTo(200);

            // when it is blocked through replica A
            HttpResponse<String> blocked = a.http.post("/team/block", MASTER_KEY, "{\"team_id\":\"" + team + "\"}");
            assertThat(blocked.statusCode()).isEqualTo(200);

            // then replica B refuses it within a second
            assertThat(firstStatusWithin(b, team, Duration.ofSeconds(1))).isEqualTo(403);
        }
    }

    @Test
    void aTeamBlockedByAnotherSystemWritingTheTablesIsRefusedWithinASecond() throws Exception {
        try (Replica b = new Replica(postgres.port())) {
            // given a team replica B caches
            String team = newTeam();
            assertThat(b.call(team, "0").statusCode()).isEqualTo(200);

            // when LiteLLM's own API blocks it with plain SQL on the same database
            TestPostgres.execute(postgres.jdbcUrl(),
                    "UPDATE \"LiteLLM_TeamTable\" SET blocked = true WHERE team_id = '" + team + "'");

            // then the trigger's notice makes replica B refuse it within a second
            assertThat(firstStatusWithin(b, team, Duration.ofSeconds(1))).isEqualTo(403);
        }
    }

    @Test
    void spendAnotherReplicaFlushesPastTheBudgetRefusesTheTeamWithinASecondWithoutDroppingItFromTheCache()
            throws Exception {
        try (Replica a = new Replica(postgres.port()); Replica b = new Replica(postgres.port())) {
            // given a team with a budget of 1.0 that replica B has served, and so caches
            String team = newTeam();
            TestPostgres.execute(postgres.jdbcUrl(),
                    "UPDATE \"LiteLLM_TeamTable\" SET max_budget = 1.0 WHERE team_id = '" + team + "'");
            // (after B's subscriber has emptied its cache on starting to listen, which would count misses of its own)
            assertThat(b.listening.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.call(team, "0").statusCode()).isEqualTo(200);
            long missesBefore = misses(b);

            // when replica A serves it a request costing 2.0 and flushes (the V6 trigger announces spend alone)
            assertThat(a.call(team, "2.0").statusCode()).isEqualTo(200);

            // then replica B refuses it within a second, having read the team again rather than dropped it
            HttpResponse<String> refused = firstRefusalWithin(b, team, Duration.ofSeconds(1).plus(FLUSH));
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("Budget has been exceeded");
            assertThat(misses(b)).as("cache misses on replica B").isEqualTo(missesBefore);
        }
    }

    private static long misses(Replica replica) {
        return replica.cache.stats().values().stream().mapToLong(stats -> stats.missCount()).sum();
    }

    /** Calls until refused or the time is up; the last answer. */
    private static HttpResponse<String> firstRefusalWithin(Replica replica, String team, Duration bound)
            throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        HttpResponse<String> answer;
        do {
            answer = replica.call(team, "0");
            if (answer.statusCode() != 200) {
                return answer;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return answer;
    }

    /** Calls until refused or the time is up; the status of the last call. */
    private static int firstStatusWithin(Replica replica, String team, Duration bound) throws Exception {
        return firstRefusalWithin(replica, team, bound).statusCode();
    }

    @Test
    void theSpendOfAThousandRequestsOverBothReplicasIsTheExactSum() throws Exception {
        String team = newTeam();
        double expected = 0;
        for (int i = 0; i < 1000; i++) {
            expected += Double.parseDouble(cost(i));
        }
        try (Replica a = new Replica(postgres.port()); Replica b = new Replica(postgres.port())) {
            // given both replicas, when 1,000 requests of one team are spread over them by 8 clients
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                Replica replica = n % 2 == 0 ? a : b;
                answers.add(clients.submit(() -> replica.call(team, cost(n)).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
            clients.shutdown();
        }
        // then, both stopped gracefully (which flushes), the team's spend is the exact sum, one log row per request
        assertThat(number("SELECT spend FROM \"LiteLLM_TeamTable\" WHERE team_id = '" + team + "'"))
                .isEqualTo(expected);
        assertThat(number("SELECT count(*) FROM \"LiteLLM_SpendLogs\" WHERE team_id = '" + team + "'"))
                .isEqualTo(1000);
        assertThat(number("SELECT sum(spend) FROM \"LiteLLM_SpendLogs\" WHERE team_id = '" + team + "'"))
                .isEqualTo(expected);
    }

    @Test
    void aReplicaThatCrashesMidLoadLosesAtMostItsLastIntervalAndTheOtherKeepsServing() throws Exception {
        String teamOfA = newTeam();
        String teamOfB = newTeam();
        // replica A reaches PostgreSQL through a link the test can cut, as a process that dies loses its connections
        try (TcpProxy link = new TcpProxy(postgres.port()); Replica b = new Replica(postgres.port())) {
            Replica a = new Replica(link.port());
            List<Long> answeredByA = new CopyOnWriteArrayList<>();
            AtomicInteger answeredByB = new AtomicInteger();
            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                load.add(clients.submit(() -> {
                    while (loading.get()) {
                        try {
                            if (a.call(teamOfA, "0.125").statusCode() == 200) {
                                answeredByA.add(System.nanoTime());
                            }
                        } catch (Exception e) {
                            // replica A is gone: its clients see connection failures
                        }
                        if (b.call(teamOfB, "0.125").statusCode() == 200) {
                            answeredByB.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            // given load on both replicas for many flush intervals
            long loadStart = System.nanoTime();
            while (answeredByA.size() < 200 || System.nanoTime() - loadStart < TimeUnit.SECONDS.toNanos(3)) {
                Thread.sleep(10);
            }

            // when replica A crashes: its database link dies, then its process
            long crash = System.nanoTime();
            link.cut();
            a.close();
            int bBeforeCrash = answeredByB.get();

            // then replica B keeps serving
            while (answeredByB.get() < bBeforeCrash + 100) {
                Thread.sleep(10);
            }
            loading.set(false);
            for (Future<?> f : load) {
                f.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            b.close();

            // and what A lost is at most its last interval: every answer of A older than the crash minus a flush
            // interval was written (plus 1 s for the flush itself and scheduling on a busy machine); B lost nothing
            long rowsOfA = (long) number("SELECT count(*) FROM \"LiteLLM_SpendLogs\" WHERE team_id = '" + teamOfA
                    + "'");
            long settled = crash - FLUSH.toNanos() - TimeUnit.SECONDS.toNanos(1);
            long answeredBeforeLastInterval = answeredByA.stream().filter(t -> t < settled).count();
            assertThat(rowsOfA).isGreaterThanOrEqualTo(answeredBeforeLastInterval).isLessThanOrEqualTo(
                    answeredByA.size());
            assertThat(answeredBeforeLastInterval).isPositive();
            assertThat(number("SELECT spend FROM \"LiteLLM_TeamTable\" WHERE team_id = '" + teamOfA + "'"))
                    .isEqualTo(rowsOfA * 0.125);
            assertThat(number("SELECT count(*) FROM \"LiteLLM_SpendLogs\" WHERE team_id = '" + teamOfB + "'"))
                    .isEqualTo(answeredByB.get());
        }
    }
}
