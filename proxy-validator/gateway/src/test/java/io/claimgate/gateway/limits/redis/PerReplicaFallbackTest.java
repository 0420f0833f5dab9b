package io.claimgate.gateway.limits.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.limits.Admission;
import io.claimgate.gateway.limits.LimitScope;
import io.claimgate.gateway.limits.LimitType;
import io.claimgate.gateway.limits.Permit;
import io.claimgate.gateway.limits.RateLimit;
import io.claimgate.gateway.limits.RateLimiter;
import io.claimgate.gateway.limits.Refusal;
import io.claimgate.gateway.limits.SharedWindows;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the RateLimiter uses its shared windows, and what it does without them: pure logic, with a fake store. */
class PerReplicaFallbackTest {

    /** A store that is down, or answers with fixed counts, and records what it was given. */
    private static final class FakeWindows implements SharedWindows {
        private final int replicas;
        private SharedCount answer;
        private final List<String> finished = new ArrayList<>();
        private long finishedTokens;

        FakeWindows(int replicas) {
            this.replicas = replicas;
        }

        @Override
        public Optional<SharedCount> admit(RateLimit[] limits, long windowMillis) {
            return Optional.ofNullable(answer);
        }

        @Override
        public void finish(RateLimit[] limits, String slot, long tokens, long windowMillis) {
            finished.add(slot);
            finishedTokens += tokens;
        }

        @Override
        public int fallbackReplicas() {
            return replicas;
        }
    }

    private static RateLimit team(Long rpm, Long tpm, Long parallel) {
        return new RateLimit(LimitScope.TEAM, "team-1", rpm, tpm, parallel);
    }

    private static int admitted(RateLimiter limiter, List<RateLimit> limits, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            Admission admission = limiter.admit(limits);
            if (admission instanceof Permit permit) {
                admitted++;
                permit.finish(0);
            }
        }
        return admitted;
    }

    @Test
    void withTheStoreDownEachReplicaAllowsTheLimitDividedByTheReplicas() {
        // given rpm 300 shared by 3 replicas, the store unreachable
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(60), Clock.systemUTC(), new FakeWindows(3));

        // when 200 requests come
        int admitted = admitted(limiter, List.of(team(300L, null, null)), 200);

        // then this replica allowed its third
        assertThat(admitted).isEqualTo(100);
    }

    @Test
    void aSmallLimitStillLetsOneRequestThroughPerReplica() {
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(60), Clock.systemUTC(), new FakeWindows(4));

        assertThat(admitted(limiter, List.of(team(2L, null, null)), 5)).isEqualTo(1);
    }

    @Test
    void aLimitOfZeroStaysZero() {
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(60), Clock.systemUTC(), new FakeWindows(4));

        assertThat(admitted(limiter, List.of(team(null, null, 0L)), 3)).isZero();
    }

    @Test
    void withOneReplicaExpectedTheWholeLimitHoldsLocally() {
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(60), Clock.systemUTC(), new FakeWindows(1));

        assertThat(admitted(limiter, List.of(team(7L, null, null)), 10)).isEqualTo(7);
    }

    @Test
    void aSharedRefusalBecomesLiteLlmsRefusal() {
        // given the store counted 5 of rpm 5 in a window that started at t, now t + 20 s
        FakeWindows store = new FakeWindows(1);
        long start = 1_800_000_000_000L;
        store.answer = new SharedWindows.SharedCount("slot-1", start + 20_000, 0, LimitType.REQUESTS,
                new long[] {5, 0, 0, start});
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(60), Clock.systemUTC(), store);

        // when
        Admission admission = limiter.admit(List.of(team(5L, null, null)));

        // then
        assertThat(admission).isInstanceOfSatisfying(Refusal.class, refusal -> {
            assertThat(refusal.type()).isEqualTo(LimitType.REQUESTS);
            assertThat(refusal.currentLimit()).isEqualTo(5);
            assertThat(refusal.remaining()).isZero();
            assertThat(refusal.retryAfterSeconds()).isEqualTo(40);
        });
    }

    @Test
    void aSharedPermitFinishesInTheStoreOnce() {
        // given the store admitted the request as its second of rpm 10
        FakeWindows store = new FakeWindows(1);
        store.answer = new SharedWindows.SharedCount("slot-7", 0, -1, null, new long[] {2, 0, 1, 0});
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(60), Clock.systemUTC(), store);
        Permit permit = (Permit) limiter.admit(List.of(team(10L, null, null)));

        // when it finishes twice
        permit.finish(42);
        permit.finish(42);

        // then the store freed its slot and counted its tokens once, and the headers showed the shared counts
        assertThat(store.finished).containsExactly("slot-7");
        assertThat(store.finishedTokens).isEqualTo(42);
        assertThat(permit.headers()).containsEntry("x-ratelimit-team-remaining-requests", "8");
    }

    @Test
    void aRequestNoLimitAppliesToNeverReachesTheStore() {
        FakeWindows store = new FakeWindows(1);
        store.answer = new SharedWindows.SharedCount("never", 0, 0, LimitType.REQUESTS, new long[4]);
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(60), Clock.systemUTC(), store);

        assertThat(limiter.admit(List.of(team(null, null, null)))).isInstanceOf(Permit.class);
    }
}
