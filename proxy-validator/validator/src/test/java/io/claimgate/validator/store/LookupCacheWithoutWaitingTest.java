package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.claimgate.validator.Blocking;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link LookupCache} on a thread that must not wait ({@link Blocking}): a remembered answer is served; a miss throws
 * before the query runs and before anything is remembered, so a worker can run the same lookup afterwards.
 */
class LookupCacheWithoutWaitingTest {

    private final LookupCache<String, String> cache = new LookupCache<>(CacheSettings.defaults(), Ticker.systemTicker());
    private final AtomicInteger queries = new AtomicInteger();

    private Optional<String> query(String key) {
        queries.incrementAndGet();
        return Optional.of("row of " + key);
    }

    @Test
    void aMissThrowsBeforeTheQueryRuns() {
        assertThatThrownBy(() -> Blocking.forbidden(() -> cache.get("team-a", this::query)))
                .isInstanceOf(Blocking.WouldBlockException.class);

        assertThat(queries).hasValue(0);
        assertThat(cache.get("team-a", this::query)).as("a worker then looks it up").hasValue("row of team-a");
        assertThat(queries).hasValue(1);
    }

    @Test
    void aRememberedAnswerIsServedWhereWaitingIsForbidden() {
        cache.get("team-a", this::query);

        assertThat(Blocking.forbidden(() -> cache.get("team-a", this::query))).hasValue("row of team-a");
        assertThat(queries).hasValue(1);
    }

    @Test
    void aRememberedAbsenceIsServedToo() {
        cache.get("nobody", key -> Optional.empty());

        assertThat(Blocking.forbidden(() -> cache.get("nobody", this::query))).isEmpty();
        assertThat(queries).hasValue(0);
    }
}
