package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.claimgate.validator.Blocking;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LookupCache#reload} and {@link LookupCache#reloadIf}: an answer due for a reload (its spend changed) is read again by one caller that may
 * wait, and served as remembered to every other caller meanwhile, instead of all of them waiting for the read.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LookupCacheReloadTest {

    private final LookupCache<String, String> cache = new LookupCache<>(CacheSettings.defaults(), Ticker.systemTicker());
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicReference<String> row = new AtomicReference<>("spend 1");

    private Optional<String> query(String key) {
        queries.incrementAndGet();
        return Optional.of(key + " " + row.get());
    }

    @Test
    void theNextCallerReadsTheRowAgainOnceAndEveryoneThenGetsTheNewAnswer() {
        cache.get("team-a", this::query);
        row.set("spend 2");

        cache.reload("team-a");

        assertThat(cache.get("team-a", this::query)).hasValue("team-a spend 2");
        assertThat(cache.get("team-a", this::query)).hasValue("team-a spend 2");
        assertThat(queries).as("the first lookup and one reload").hasValue(2);
    }

    @Test
    void othersAreServedTheRememberedAnswerWhileTheReloadRuns() throws Exception {
        cache.get("team-a", this::query);
        cache.reload("team-a");

        // when one caller's reload is held inside the database read
        HeldReload reload = new HeldReload(null);

        // then another caller, even one that may wait, is answered at once with what is remembered
        assertThat(cache.get("team-a", this::query)).hasValue("team-a spend 1");
        assertThat(queries).as("no second read").hasValue(1);
        row.set("spend 2");
        assertThat(reload.release()).hasValue("team-a spend 2");
        assertThat(cache.get("team-a", this::query)).hasValue("team-a spend 2");
    }

    @Test
    void onAThreadThatMustNotWaitTheReloadIsLeftToOneThatMay() {
        cache.get("team-a", this::query);
        cache.reload("team-a");
        row.set("spend 2");

        assertThatThrownBy(() -> Blocking.forbidden(() -> cache.get("team-a", this::query)))
                .isInstanceOf(Blocking.WouldBlockException.class);
        assertThat(queries).as("nothing read on the event loop").hasValue(1);

        assertThat(cache.get("team-a", this::query)).as("a worker then reloads it").hasValue("team-a spend 2");
        assertThat(Blocking.forbidden(() -> cache.get("team-a", this::query))).hasValue("team-a spend 2");
    }

    @Test
    void whileTheReloadRunsAThreadThatMustNotWaitIsServedTheRememberedAnswer() throws Exception {
        cache.get("team-a", this::query);
        cache.reload("team-a");
        HeldReload reload = new HeldReload(null);

        assertThat(Blocking.forbidden(() -> cache.get("team-a", this::query))).hasValue("team-a spend 1");

        reload.release();
    }

    @Test
    void aFailedReloadForgetsTheAnswerAsAnInvalidationWould() {
        cache.get("team-a", this::query);
        cache.reload("team-a");

        assertThatThrownBy(() -> cache.get("team-a", key -> {
            throw new IllegalStateException("database down");
        })).hasMessage("database down");

        row.set("spend 3");
        assertThat(cache.get("team-a", this::query)).as("the next caller looks it up").hasValue("team-a spend 3");
    }

    @Test
    void anInvalidationDuringTheReloadIsNotUndoneByIt() throws Exception {
        cache.get("team-a", this::query);
        cache.reload("team-a");
        HeldReload reload = new HeldReload(key -> Optional.of("team-a as read before it was blocked"));

        // when the team is blocked (a change that is not spend alone) while the reload reads the old row
        row.set("blocked");
        cache.invalidate("team-a");
        reload.release();

        // then the next caller reads the blocked team, not what the reload read
        assertThat(cache.get("team-a", this::query)).hasValue("team-a blocked");
    }

    @Test
    void spendThatChangesAgainDuringTheReloadIsReadOnceMore() throws Exception {
        cache.get("team-a", this::query);
        cache.reload("team-a");
        HeldReload reload = new HeldReload(key -> Optional.of("team-a spend 2"));

        // when the next flush's notice arrives while the reload reads
        row.set("spend 3");
        cache.reload("team-a");
        assertThat(reload.release()).hasValue("team-a spend 2");

        // then the next caller reads it again
        assertThat(cache.get("team-a", this::query)).hasValue("team-a spend 3");
    }

    @Test
    void aRememberedAbsenceIsForgottenNotServed() {
        cache.get("team-new", key -> Optional.empty());

        cache.reload("team-new");

        assertThat(cache.get("team-new", this::query)).hasValue("team-new spend 1");
    }

    @Test
    void answersItDoesNotSelectStayAsTheyAre() {
        cache.get("team-a", this::query);
        cache.get("team-b", this::query);
        row.set("spend 2");

        cache.reload("team-a");
        cache.reloadIf((key, team) -> team.isPresent() && team.get().startsWith("team-a"));

        assertThat(cache.get("team-b", this::query)).hasValue("team-b spend 1");
        assertThat(cache.get("team-a", this::query)).hasValue("team-a spend 2");
        assertThat(queries).as("two lookups and one reload").hasValue(3);
    }

    /** A reload started on another thread and held inside its database read until {@link HeldReload#release}. */
    private final class HeldReload {

        private final CountDownLatch reading = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final CompletableFuture<Optional<String>> answer;

        /** @param read what the held read returns, given the key; {@code null} for {@link #query} */
        HeldReload(Function<String, Optional<String>> read) {
            answer = CompletableFuture.supplyAsync(() -> cache.get("team-a", key -> {
                reading.countDown();
                await(released);
                return read == null ? query(key) : read.apply(key);
            }));
            try {
                assertThat(reading.await(10, TimeUnit.SECONDS)).as("the reload started").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        Optional<String> release() throws Exception {
            released.countDown();
            return answer.get(10, TimeUnit.SECONDS);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
