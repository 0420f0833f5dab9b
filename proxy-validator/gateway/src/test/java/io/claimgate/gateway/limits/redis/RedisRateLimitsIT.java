package io.claimgate.gateway.limits.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.limits.Admission;
import io.claimgate.gateway.limits.LimitScope;
import io.claimgate.gateway.limits.LimitType;
import io.claimgate.gateway.limits.ModelLimits;
import io.claimgate.gateway.limits.Permit;
import io.claimgate.gateway.limits.RateLimit;
import io.claimgate.gateway.limits.RateLimiter;
import io.claimgate.gateway.limits.Refusal;
import io.claimgate.gateway.metrics.GatewayMetrics;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.lettuce.core.RedisClient;
import redis.embedded.RedisServer;

/** Two rate limiters, as two gateway replicas would have, sharing one real Redis. */
class RedisRateLimitsIT {

    /** Generous: a loaded build machine must not turn a slow answer into a local count. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private int port;
    private RedisServer redis;
    private final List<RedisRateLimits> replicas = new ArrayList<>();

    @BeforeEach
    void startRedis() throws IOException {
        port = freePort();
        redis = startRedis(port);
    }

    @AfterEach
    void stopAll() throws IOException {
        replicas.forEach(RedisRateLimits::close);
        if (redis.isActive()) {
            redis.stop();
        }
    }

    @Test
    void twoReplicasTogetherAllowExactlyTheRequestsPerMinute() throws Exception {
        // given rpm 300 and two replicas on one Redis
        RateLimiter first = replica(settings()).limiter();
        RateLimiter second = replica(settings()).limiter();
        List<RateLimit> limits = List.of(new RateLimit(LimitScope.TEAM, "team-rpm", 300L, null, null));
        AtomicInteger allowed = new AtomicInteger();
        AtomicInteger refusedForRequests = new AtomicInteger();

        // when 600 attempts are spread over both, from 8 threads
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            RateLimiter limiter = t % 2 == 0 ? first : second;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 75; i++) {
                    Admission admission = limiter.admit(limits);
                    if (admission instanceof Permit permit) {
                        allowed.incrementAndGet();
                        permit.finish(0);
                    } else if (admission instanceof Refusal refusal && refusal.type() == LimitType.REQUESTS) {
                        refusedForRequests.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();

        // then the limit held across both, exactly (each admission is one atomic script), none counted locally
        assertThat(replicas).allSatisfy(replica -> assertThat(replica.fallbacks()).isZero());
        assertThat(allowed).hasValue(300);
        assertThat(refusedForRequests).hasValue(300);
    }

    @Test
    void tokensFinishedOnOneReplicaCountOnTheOther() {
        // given tpm 100 and a request on the first replica that used 100 tokens
        RateLimiter first = replica(settings()).limiter();
        RateLimiter second = replica(settings()).limiter();
        List<RateLimit> limits = List.of(new RateLimit(LimitScope.USER, "user-tpm", null, 100L, null));
        Permit used = (Permit) first.admit(limits);
        used.finish(100);

        // when the second replica is asked
        Admission admission = second.admit(limits);

        // then it refuses for tokens, with LiteLLM's message
        assertThat(admission).isInstanceOfSatisfying(Refusal.class, refusal -> {
            assertThat(refusal.type()).isEqualTo(LimitType.TOKENS);
            assertThat(refusal.remaining()).isZero();
            assertThat(refusal.message()).startsWith("Rate limit exceeded for user: user-tpm. Limit type: tokens.");
        });
    }

    @Test
    void parallelSlotsAreSharedAndFreedByFinish() {
        // given max_parallel_requests 2, both slots taken on the first replica
        RateLimiter first = replica(settings()).limiter();
        RateLimiter second = replica(settings()).limiter();
        List<RateLimit> limits = List.of(new RateLimit(LimitScope.TEAM, "team-parallel", null, null, 2L));
        Permit one = (Permit) first.admit(limits);
        assertThat(first.admit(limits)).isInstanceOf(Permit.class);

        // when the second replica asks, before and after one of them finished
        Admission whileFull = second.admit(limits);
        one.finish(0);
        Admission afterFinish = second.admit(limits);

        // then
        assertThat(whileFull).isInstanceOfSatisfying(Refusal.class,
                refusal -> assertThat(refusal.type()).isEqualTo(LimitType.MAX_PARALLEL_REQUESTS));
        assertThat(afterFinish).isInstanceOf(Permit.class);
    }

    @Test
    void permitHeadersShowWhatAllReplicasUsed() {
        // given rpm 10, three requests on the first replica
        RateLimiter first = replica(settings()).limiter();
        RateLimiter second = replica(settings()).limiter();
        List<RateLimit> limits = List.of(new RateLimit(LimitScope.TEAM, "team-headers", 10L, null, null));
        for (int i = 0; i < 3; i++) {
            ((Permit) first.admit(limits)).finish(0);
        }

        // when the fourth comes to the second replica
        Map<String, String> headers = ((Permit) second.admit(limits)).headers();

        // then
        assertThat(headers).containsEntry("x-ratelimit-team-remaining-requests", "6")
                .containsEntry("x-ratelimit-team-limit-requests", "10");
    }

    @Test
    void aRefusalByOneLimitCountsAgainstNoneOfTheOthers() {
        // given a user with rpm 5 in a team that allows nothing more in parallel
        RateLimiter limiter = replica(settings()).limiter();
        RateLimit user = new RateLimit(LimitScope.USER, "user-both", 5L, null, null);
        RateLimit team = new RateLimit(LimitScope.TEAM, "team-both", null, null, 0L);

        // when the team refuses three requests
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit(List.of(user, team))).isInstanceOf(Refusal.class);
        }

        // then the user's five requests are all still there
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.admit(List.of(user))).isInstanceOf(Permit.class);
        }
        assertThat(limiter.admit(List.of(user))).isInstanceOf(Refusal.class);
    }

    @Test
    void aTeamsModelLimitIsSharedByTheReplicasAndKeptApartFromItsOtherModels() {
        // given a team allowing 2 gpt-4o requests a minute, and 50 tokens, on two replicas
        RateLimiter first = replica(settings()).limiter();
        RateLimiter second = replica(settings()).limiter();
        ModelLimits teamModels = ModelLimits.fromMetadata("{\"gpt-4o\": 2}", "{\"gpt-4o-mini\": 50}");
        RateLimit team = new RateLimit(LimitScope.TEAM, "team-models", 100L, null, null);
        List<RateLimit> gpt4o = List.of(team, teamModels.limitOf("team-models", "gpt-4o"));
        List<RateLimit> mini = List.of(team, teamModels.limitOf("team-models", "gpt-4o-mini"));

        // when each replica admits one gpt-4o request, and one gpt-4o-mini answer uses 50 tokens
        ((Permit) first.admit(gpt4o)).finish(0);
        ((Permit) second.admit(gpt4o)).finish(0);
        ((Permit) first.admit(mini)).finish(50);

        // then a third gpt-4o request is refused on either replica, in LiteLLM's words
        assertThat(second.admit(gpt4o)).isInstanceOfSatisfying(Refusal.class, refusal -> {
            assertThat(refusal.type()).isEqualTo(LimitType.REQUESTS);
            assertThat(refusal.message()).startsWith("Rate limit exceeded for model_per_team: team-models:gpt-4o. "
                    + "Limit type: requests. Current limit: 2, Remaining: 0.");
        });
        // and gpt-4o-mini is refused for its tokens only
        assertThat(second.admit(mini)).isInstanceOfSatisfying(Refusal.class,
                refusal -> assertThat(refusal.type()).isEqualTo(LimitType.TOKENS));
        // and the refused requests took nothing from the team: 3 of its 100 are used
        Permit other = (Permit) first.admit(List.of(team));
        assertThat(other.headers()).containsEntry("x-ratelimit-team-remaining-requests", "96");
        assertThat(replicas).allSatisfy(replica -> assertThat(replica.fallbacks()).isZero());
    }

    @Test
    void aTeamsModelIsCountedUnderItsOwnKeys() {
        // given a request counted against a team's gpt-4o limit
        RateLimiter limiter = replica(settings()).limiter();
        limiter.admit(List.of(ModelLimits.fromMetadata("{\"gpt-4o\": 5}", null).limitOf("team-keys", "gpt-4o")));

        // then its window is kept under the model_per_team scope, beside the team's own keys
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (var connection = client.connect()) {
            assertThat(connection.sync().hget("claimgate:ratelimit:model_per_team:team-keys:gpt-4o:window",
                    "requests")).isEqualTo("1");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aSlotItsReplicaNeverGaveBackFreesWhenItsLeaseEnds() {
        // given max_parallel_requests 1 taken by a replica that then died without finishing
        RateLimiter crashed = replica(settings().withSlotLease(Duration.ofMillis(500))).limiter();
        RateLimiter survivor = replica(settings()).limiter();
        List<RateLimit> limits = List.of(new RateLimit(LimitScope.END_USER, "end-user-lease", null, null, 1L));
        assertThat(crashed.admit(limits)).isInstanceOf(Permit.class);
        assertThat(survivor.admit(limits)).isInstanceOf(Refusal.class);

        // when the lease has ended, then the survivor is admitted
        eventually(() -> survivor.admit(limits) instanceof Permit);
    }

    @Test
    void withRedisDownEachReplicaEnforcesItsShareAndSharesAgainWhenRedisIsBack() throws IOException {
        // given two replicas expected, rpm 10, and Redis stopped mid-way
        RedisRateLimits replica = replica(settings().withFallbackReplicas(2));
        RateLimiter limiter = replica.limiter();
        GatewayMetrics metrics = new GatewayMetrics();
        replica.registerMetrics(metrics);
        assertThat(limiter.admit(List.of(rpm("team-before", 10L)))).isInstanceOf(Permit.class);
        redis.stop();

        // when the replica is asked twelve times
        List<Admission> whileDown = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            whileDown.add(limiter.admit(List.of(rpm("team-outage", 10L))));
        }

        // then it allowed its share, 10 / 2, without an exception, and counted the fallbacks
        assertThat(whileDown.stream().filter(Permit.class::isInstance)).hasSize(5);
        assertThat(whileDown.get(11)).isInstanceOfSatisfying(Refusal.class,
                refusal -> assertThat(refusal.currentLimit()).isEqualTo(5));
        assertThat(replica.shared()).isFalse();
        assertThat(replica.fallbacks()).isEqualTo(12);
        assertThat(metrics.scrape()).contains("claimgate_ratelimit_redis_fallbacks_total 12.0")
                .contains("claimgate_ratelimit_redis_available 0.0");

        // when Redis is back on the same address, the limiter not restarted
        redis = startRedis(port);
        eventually(() -> {
            long before = replica.fallbacks();
            limiter.admit(List.of(rpm("team-probe", null)));
            limiter.admit(List.of(new RateLimit(LimitScope.TEAM, "team-probe", 1_000_000L, null, null)));
            return replica.fallbacks() == before;
        });

        // then the limits are shared again: rpm 4 holds across this replica and a second one
        RateLimiter second = replica(settings()).limiter();
        int allowed = 0;
        for (int i = 0; i < 4; i++) {
            allowed += limiter.admit(List.of(rpm("team-after", 4L))) instanceof Permit ? 1 : 0;
            allowed += second.admit(List.of(rpm("team-after", 4L))) instanceof Permit ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(4);
        assertThat(replica.shared()).isTrue();
    }

    @Test
    void aRedisThatStopsAnsweringCostsOneTimeoutAndTheRequestIsCountedLocally() {
        // given a replica with a short timeout, and Redis that holds every command for a minute
        RedisRateLimits replica = replica(settings().withTimeout(Duration.ofMillis(200)));
        RateLimiter limiter = replica.limiter();
        RedisClient admin = RedisClient.create("redis://127.0.0.1:" + port);
        try {
            admin.connect().sync().clientPause(60_000);

            // when requests come
            Admission first = limiter.admit(List.of(rpm("team-paused", 1L)));
            Admission second = limiter.admit(List.of(rpm("team-paused", 1L)));

            // then they are counted here instead of waiting for Redis
            assertThat(first).isInstanceOf(Permit.class);
            assertThat(second).isInstanceOf(Refusal.class);
            assertThat(replica.fallbacks()).isEqualTo(2);
            assertThat(replica.shared()).isFalse();
        } finally {
            // Redis itself is stopped after the test, pause and all.
            admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void aReplicaStartedWhileRedisIsDownCountsAloneThenShares() throws IOException {
        // given Redis down when the replica starts
        redis.stop();
        RedisRateLimits replica = startReplica(settings());
        RateLimiter limiter = replica.limiter();

        // when asked, then it answers from its own counts
        assertThat(limiter.admit(List.of(rpm("team-cold", 1L)))).isInstanceOf(Permit.class);
        assertThat(limiter.admit(List.of(rpm("team-cold", 1L)))).isInstanceOf(Refusal.class);
        assertThat(replica.fallbacks()).isEqualTo(2);

        // when Redis comes up, then the replica connects by itself and counts there
        redis = startRedis(port);
        eventually(() -> {
            long before = replica.fallbacks();
            limiter.admit(List.of(rpm("team-warm", 1_000_000L)));
            return replica.fallbacks() == before;
        });
        assertThat(replica.shared()).isTrue();
    }

    private static RateLimit rpm(String team, Long limit) {
        return new RateLimit(LimitScope.TEAM, team, limit, null, null);
    }

    private RedisSettings settings() {
        return RedisSettings.from(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", Integer.toString(port)), Map.of())
                .orElseThrow().withTimeout(TIMEOUT);
    }

    /** A replica connected to Redis: a loaded machine may take longer than start's own wait to connect. */
    private RedisRateLimits replica(RedisSettings settings) {
        RedisRateLimits replica = startReplica(settings);
        eventually(replica::shared);
        return replica;
    }

    private RedisRateLimits startReplica(RedisSettings settings) {
        RedisRateLimits replica = RedisRateLimits.start(settings);
        replicas.add(replica);
        return replica;
    }

    /** Retries a condition that depends on a lease or a reconnection; fails the test after a minute. */
    private static void eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition still false after 60 s").isNegative();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static RedisServer startRedis(int port) throws IOException {
        // No snapshots: a restarted Redis starts empty, as one that lost its memory would.
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
