package io.claimgate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.spend.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final RateLimiter limiter = new RateLimiter(Duration.ofSeconds(60), clock);

    private static RateLimit team(Long rpm, Long tpm, Long parallel) {
        return new RateLimit(LimitScope.TEAM, "team-1", rpm, tpm, parallel);
    }

    @Nested
    class RequestsPerMinute {

        @Test
        void allowsExactlyTheLimitWhenManyThreadsAskAtOnce() throws Exception {
            // given rpm 300 and 600 attempts from 24 threads
            RateLimiter systemClock = RateLimiter.withDefaults();
            List<RateLimit> limits = List.of(team(300L, null, null));
            AtomicInteger allowed = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();

            // when
            concurrently(24, 25, () -> {
                Admission admission = systemClock.admit(limits);
                if (admission instanceof Permit permit) {
                    allowed.incrementAndGet();
                    permit.finish(0);
                } else {
                    refused.incrementAndGet();
                }
            });

            // then
            assertThat(allowed).hasValue(300);
            assertThat(refused).hasValue(300);
        }

        @Test
        void refusesWithLiteLlmsMessageRetryAfterAndHeaders() {
            List<RateLimit> limits = List.of(team(2L, null, null));
            limiter.admit(limits);
            clock.advance(Duration.ofSeconds(15));
            limiter.admit(limits);

            Admission third = limiter.admit(limits);

            assertThat(third).isInstanceOf(Refusal.class);
            Refusal refusal = (Refusal) third;
            assertThat(refusal.message()).isEqualTo("Rate limit exceeded for team: team-1. Limit type: requests. "
                    + "Current limit: 2, Remaining: 0. Limit resets at: 2026-11-29 10:01:00 UTC");
            assertThat(refusal.retryAfterSeconds()).isEqualTo(45);
            assertThat(refusal.headers()).containsEntry("retry-after", "45")
                    .containsEntry("rate_limit_type", "requests")
                    .containsEntry("reset_at", "2026-11-29 10:01:00 UTC");
            assertThat(Refusal.STATUS).isEqualTo(429);
        }

        @Test
        void opensAFreshWindowWhenTheLastOneHasPassed() {
            List<RateLimit> limits = List.of(team(1L, null, null));
            limiter.admit(limits);
            clock.advance(Duration.ofSeconds(59));
            Admission sameWindow = limiter.admit(limits);

            clock.advance(Duration.ofSeconds(1));
            Admission nextWindow = limiter.admit(limits);

            assertThat(sameWindow).isInstanceOf(Refusal.class);
            assertThat(nextWindow).isInstanceOf(Permit.class);
        }

        @Test
        void readsANegativeLimitAsZeroAndRefusesEverything() {
            assertThat(limiter.admit(List.of(team(-2L, null, null)))).isInstanceOf(Refusal.class);
        }
    }

    @Nested
    class TokensPerMinute {

        @Test
        void countsTokensWhenAnswersEndAndRefusesOnceTheyReachTheLimit() {
            List<RateLimit> limits = List.of(team(null, 100L, null));
            Permit first = (Permit) limiter.admit(limits);
            first.finish(60);
            Permit second = (Permit) limiter.admit(limits);
            assertThat(second.headers()).containsEntry("x-ratelimit-team-remaining-tokens", "40");
            second.finish(50);

            Admission third = limiter.admit(limits);

            assertThat(third).isInstanceOf(Refusal.class);
            Refusal refusal = (Refusal) third;
            assertThat(refusal.type()).isEqualTo(LimitType.TOKENS);
            assertThat(refusal.message()).contains("Limit type: tokens. Current limit: 100, Remaining: 0.");
        }

        @Test
        void countsEveryAnswersTokensWhenManyFinishAtOnce() throws Exception {
            RateLimiter systemClock = RateLimiter.withDefaults();
            List<RateLimit> limits = List.of(team(1_000_000L, 1_000_000L, null));

            // 16 threads admit and finish 500 answers each, every answer reporting 3 tokens
            concurrently(16, 500, () -> ((Permit) systemClock.admit(limits)).finish(3));

            Permit next = (Permit) systemClock.admit(limits);
            assertThat(next.headers())
                    .containsEntry("x-ratelimit-team-remaining-requests", Long.toString(1_000_000L - 8_001))
                    .containsEntry("x-ratelimit-team-remaining-tokens", Long.toString(1_000_000L - 3 * 8_000));
            next.finish(0);
        }

        @Test
        void countsAnAnswerOnlyOnceHoweverOftenItIsFinished() {
            List<RateLimit> limits = List.of(team(null, 100L, null));
            Permit permit = (Permit) limiter.admit(limits);

            permit.finish(60);
            permit.finish(60);

            assertThat(limiter.admit(limits)).isInstanceOf(Permit.class);
        }

        @Test
        void countsOutputTokensByDefaultAsLiteLlmDoes() {
            Usage usage = new Usage(100, 20, 120);

            assertThat(TokenCounting.fromLiteLlm(null).count(usage)).isEqualTo(20);
            assertThat(TokenCounting.fromLiteLlm("input").count(usage)).isEqualTo(100);
            assertThat(TokenCounting.fromLiteLlm("total").count(usage)).isEqualTo(120);
            assertThat(TokenCounting.fromLiteLlm("anything else").count(usage)).isEqualTo(120);
        }
    }

    @Nested
    class ParallelRequests {

        @Test
        void refusesWhileTheLimitIsInFlightAndAdmitsWhenAnAnswerEnds() {
            List<RateLimit> limits = List.of(team(null, null, 2L));
            Permit first = (Permit) limiter.admit(limits);
            limiter.admit(limits);

            Admission third = limiter.admit(limits);
            first.finish(0);
            first.finish(0);
            Admission fourth = limiter.admit(limits);
            Admission fifth = limiter.admit(limits);

            assertThat(third).isInstanceOf(Refusal.class);
            assertThat(((Refusal) third).type()).isEqualTo(LimitType.MAX_PARALLEL_REQUESTS);
            assertThat(((Refusal) third).retryAfterSeconds()).isEqualTo(1);
            assertThat(fourth).isInstanceOf(Permit.class);
            assertThat(fifth).as("a second finish frees nothing").isInstanceOf(Refusal.class);
        }

        @Test
        void neverHasMoreInFlightThanTheLimitUnderConcurrency() throws Exception {
            RateLimiter systemClock = RateLimiter.withDefaults();
            List<RateLimit> limits = List.of(team(null, null, 3L));
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            AtomicInteger allowed = new AtomicInteger();

            concurrently(16, 200, () -> {
                if (systemClock.admit(limits) instanceof Permit permit) {
                    int now = inFlight.incrementAndGet();
                    most.accumulateAndGet(now, Math::max);
                    allowed.incrementAndGet();
                    inFlight.decrementAndGet();
                    permit.finish(0);
                }
            });

            assertThat(most.get()).isBetween(1, 3);
            assertThat(allowed.get()).isPositive();
        }
    }

    @Nested
    class SeveralLimits {

        @Test
        void losesNoCountWhenManyThreadsTakeRefuseAndFinishAtOnce() throws Exception {
            // given a user limit that never refuses, then a team limit of 2 in flight, one of them held throughout:
            // whoever gets the other slot is refused for certain when it asks again, and that refusal takes back
            // what the user's counter counted, while other threads count and finish on both counters
            RateLimiter systemClock = RateLimiter.withDefaults();
            RateLimit user = new RateLimit(LimitScope.USER, "alice", 1_000_000L, null, null);
            List<RateLimit> limits = List.of(user, team(null, 1_000_000L, 2L));
            Permit held = (Permit) systemClock.admit(limits);
            AtomicInteger allowed = new AtomicInteger();
            AtomicInteger refusedWhileFull = new AtomicInteger();

            // when 16 threads try 500 times each, every admitted answer reporting 3 tokens
            concurrently(16, 500, () -> {
                if (systemClock.admit(limits) instanceof Permit permit) {
                    allowed.incrementAndGet();
                    if (systemClock.admit(limits) instanceof Refusal) {
                        refusedWhileFull.incrementAndGet();
                    }
                    permit.finish(3);
                }
            });

            // then the counters hold exactly the admitted requests and their tokens, and only the held one in flight
            assertThat(allowed.get()).isPositive();
            assertThat(refusedWhileFull).as("both slots were taken at each second attempt").hasValue(allowed.get());
            Permit next = (Permit) systemClock.admit(limits);
            assertThat(next.headers())
                    .containsEntry("x-ratelimit-user-remaining-requests",
                            Long.toString(1_000_000L - 1 - allowed.get() - 1))
                    .containsEntry("x-ratelimit-team-remaining-tokens", Long.toString(1_000_000L - 3L * allowed.get()));
            assertThat(systemClock.admit(limits)).as("two in flight fill the team's limit").isInstanceOf(Refusal.class);
            next.finish(0);
            held.finish(0);
        }

        @Test
        void aRequestRefusedByOneLimitCountsAgainstNone() {
            RateLimit teamLimit = team(3L, null, 1L);
            Permit first = (Permit) limiter.admit(List.of(teamLimit, new RateLimit(LimitScope.USER, "alice", 1L,
                    null, null)));
            first.finish(0);

            Admission refusedByUser = limiter.admit(List.of(teamLimit,
                    new RateLimit(LimitScope.USER, "alice", 1L, null, null)));
            Admission bob = limiter.admit(List.of(teamLimit, new RateLimit(LimitScope.USER, "bob", null, null, null)));

            assertThat(refusedByUser).isInstanceOf(Refusal.class);
            assertThat(((Refusal) refusedByUser).message()).startsWith("Rate limit exceeded for user: alice.");
            assertThat(bob).as("the refused request held no parallel slot").isInstanceOf(Permit.class);
            assertThat(((Permit) bob).headers()).containsEntry("x-ratelimit-team-remaining-requests", "1");
        }

        @Test
        void sendsEachLimitsHeadersAndTheTightestAsTheOverallOnes() {
            Permit permit = (Permit) limiter.admit(List.of(
                    team(100L, 1000L, null),
                    new RateLimit(LimitScope.USER, "alice", 10L, null, null),
                    RateLimit.teamMember("team-1", "alice", null, 500L, null),
                    new RateLimit(LimitScope.END_USER, "customer-1", null, null, null)));

            assertThat(permit.headers()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    Map.entry("x-ratelimit-team-remaining-requests", "99"),
                    Map.entry("x-ratelimit-team-limit-requests", "100"),
                    Map.entry("x-ratelimit-team-remaining-tokens", "1000"),
                    Map.entry("x-ratelimit-team-limit-tokens", "1000"),
                    Map.entry("x-ratelimit-user-remaining-requests", "9"),
                    Map.entry("x-ratelimit-user-limit-requests", "10"),
                    Map.entry("x-ratelimit-team_member-remaining-tokens", "500"),
                    Map.entry("x-ratelimit-team_member-limit-tokens", "500"),
                    Map.entry("x-ratelimit-remaining-requests", "9"),
                    Map.entry("x-ratelimit-limit-requests", "10"),
                    Map.entry("x-ratelimit-remaining-tokens", "500"),
                    Map.entry("x-ratelimit-limit-tokens", "500")));
        }

        @Test
        void namesTheTeamMemberAsLiteLlmDoes() {
            RateLimit member = RateLimit.teamMember("team-1", "alice", 0L, null, null);

            Refusal refusal = (Refusal) limiter.admit(List.of(member));

            assertThat(refusal.message()).startsWith("Rate limit exceeded for team_member: team-1:alice.");
        }

        @Test
        void admitsWithoutHeadersWhenNothingIsLimited() {
            Admission admission = limiter.admit(List.of(new RateLimit(LimitScope.TEAM, "t", null, null, null)));

            assertThat(admission).isInstanceOf(Permit.class);
            assertThat(((Permit) admission).headers()).isEmpty();
            assertThat(limiter.trackedSubjects()).isZero();
        }
    }

    /** A team's {@code model_rpm_limit} / {@code model_tpm_limit}: one counter per team and model. */
    @Nested
    class ModelPerTeam {

        private final ModelLimits teamModels = ModelLimits.fromMetadata("{\"gpt-4o\": 2}", "{\"gpt-4o\": 100}");

        private List<RateLimit> request(String model) {
            RateLimit perModel = teamModels.limitOf("team-1", model);
            return perModel == null ? List.of(team(10L, null, null)) : List.of(team(10L, null, null), perModel);
        }

        @Test
        void refusesAModelOverItsTeamLimitWithLiteLlmsMessageAndHeaders() {
            // given a team allowing 2 gpt-4o requests a minute within its 10
            limiter.admit(request("gpt-4o"));
            limiter.admit(request("gpt-4o"));

            // when a third names gpt-4o
            Admission third = limiter.admit(request("gpt-4o"));

            // then it is refused by the model's limit, as LiteLLM words it
            assertThat(third).isInstanceOf(Refusal.class);
            Refusal refusal = (Refusal) third;
            assertThat(refusal.message()).isEqualTo("Rate limit exceeded for model_per_team: team-1:gpt-4o. "
                    + "Limit type: requests. Current limit: 2, Remaining: 0. Limit resets at: 2026-11-29 10:01:00 UTC");
            assertThat(refusal.headers()).containsEntry("retry-after", "60").containsEntry("rate_limit_type",
                    "requests");
        }

        @Test
        void aModelsLimitLeavesTheTeamsOtherModelsAlone() {
            limiter.admit(request("gpt-4o"));
            limiter.admit(request("gpt-4o"));

            Admission other = limiter.admit(request("gpt-4o-mini"));

            assertThat(other).isInstanceOf(Permit.class);
            assertThat(((Permit) other).headers()).containsEntry("x-ratelimit-team-remaining-requests", "7")
                    .doesNotContainKey("x-ratelimit-model_per_team-remaining-requests");
        }

        @Test
        void aRequestRefusedByItsModelsLimitIsNotCountedForTheTeam() {
            limiter.admit(request("gpt-4o"));
            limiter.admit(request("gpt-4o"));
            limiter.admit(request("gpt-4o"));

            Permit next = (Permit) limiter.admit(request("gpt-4o-mini"));

            assertThat(next.headers()).containsEntry("x-ratelimit-team-remaining-requests", "7");
        }

        @Test
        void sendsLiteLlmsModelPerTeamHeadersWithTheTightestAsTheOverallOnes() {
            Permit permit = (Permit) limiter.admit(request("gpt-4o"));

            assertThat(permit.headers())
                    .containsEntry("x-ratelimit-model_per_team-remaining-requests", "1")
                    .containsEntry("x-ratelimit-model_per_team-limit-requests", "2")
                    .containsEntry("x-ratelimit-model_per_team-remaining-tokens", "100")
                    .containsEntry("x-ratelimit-model_per_team-limit-tokens", "100")
                    .containsEntry("x-ratelimit-remaining-requests", "1")
                    .containsEntry("x-ratelimit-limit-requests", "2");
        }

        @Test
        void countsAnswerTokensAgainstTheModelAndRefusesItOnceTheyReachItsLimit() {
            // given a gpt-4o answer of 100 output tokens, the model's token limit
            ((Permit) limiter.admit(request("gpt-4o"))).finish(100);

            // when the team asks for gpt-4o again, and for another model
            Admission again = limiter.admit(request("gpt-4o"));
            Admission other = limiter.admit(request("gpt-4o-mini"));

            // then gpt-4o is refused for tokens and the other model passes
            assertThat(again).isInstanceOf(Refusal.class);
            assertThat(((Refusal) again).message()).startsWith("Rate limit exceeded for model_per_team: "
                    + "team-1:gpt-4o. Limit type: tokens. Current limit: 100, Remaining: 0.");
            assertThat(other).isInstanceOf(Permit.class);
        }

        @Test
        void keepsEachTeamsCountOfTheSameModelApart() {
            RateLimit teamOne = teamModels.limitOf("team-1", "gpt-4o");
            RateLimit teamTwo = teamModels.limitOf("team-2", "gpt-4o");
            limiter.admit(List.of(teamOne));
            limiter.admit(List.of(teamOne));

            assertThat(limiter.admit(List.of(teamOne))).isInstanceOf(Refusal.class);
            assertThat(limiter.admit(List.of(teamTwo))).isInstanceOf(Permit.class);
        }
    }

    @Test
    void forgetsSubjectsWithNothingInTheirWindowAndNothingInFlight() {
        for (int i = 0; i < 50; i++) {
            ((Permit) limiter.admit(List.of(new RateLimit(LimitScope.END_USER, "customer-" + i, 10L, null, null))))
                    .finish(0);
        }
        Permit running = (Permit) limiter.admit(List.of(new RateLimit(LimitScope.USER, "busy", null, null, 5L)));
        assertThat(limiter.trackedSubjects()).isEqualTo(51);

        clock.advance(Duration.ofSeconds(61));
        limiter.admit(List.of(team(10L, null, null)));

        assertThat(limiter.trackedSubjects()).as("the busy user and the new team").isEqualTo(2);
        running.finish(0);
    }

    private static void concurrently(int threads, int attemptsEach, Runnable attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attemptsEach; i++) {
                        attempt.run();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A clock the test moves by hand. */
    private static final class SettableClock extends Clock {

        private volatile Instant now;

        SettableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
