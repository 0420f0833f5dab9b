package io.claimgate.validator.store;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.claimgate.validator.Blocking;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Remembered answers to one kind of lookup: found for the positive TTL, "not found" for the negative TTL.
 *
 * <p>Concurrent lookups of one key share a single query, run on the first caller's thread; the others wait for its
 * outcome, success or failure. Waiting on a shared future rather than inside the map's compute lock matters when the
 * database is down: a hundred requests for one team then fail together after one connection timeout, instead of one
 * after another, a timeout each. A failed lookup is not remembered.
 */
final class LookupCache<K, V> {

    private final AsyncCache<K, Optional<V>> cache;

    LookupCache(CacheSettings settings, Ticker ticker) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.maximumSize())
                .expireAfter(Expiry.<K, Optional<V>>writing((key, value) ->
                        value.isPresent() ? settings.positiveTtl() : settings.negativeTtl()))
                .ticker(ticker)
                // Upkeep on the calling thread: cheap, and nothing to stop on close.
                .executor(Runnable::run)
                .recordStats()
                .buildAsync();
    }

    /** The remembered answer for {@code key}, or {@code lookup}'s, remembered unless it throws. */
    Optional<V> get(K key, Function<K, Optional<V>> lookup) {
        // The hit path, taken by nearly every request: no future to allocate, no mapping function to run.
        // getIfPresent records the hit or miss; the map view below records nothing, so each lookup counts once.
        CompletableFuture<Optional<V>> known = cache.getIfPresent(key);
        if (known != null && known.isDone() && !known.isCompletedExceptionally()) {
            return known.join();
        }
        // A miss runs a query or waits for one: not on a thread that must not block, and before anything changed.
        Blocking.check("a directory lookup");
        CompletableFuture<Optional<V>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<V>> answer = cache.asMap().putIfAbsent(key, mine);
        if (answer == null) {
            answer = mine;
            try {
                mine.complete(lookup.apply(key));
            } catch (RuntimeException | Error failure) {
                // Completing exceptionally also removes the entry, so the next request tries again.
                mine.completeExceptionally(failure);
                throw failure;
            }
        }
        return join(answer);
    }

    /** Forgets the answer for {@code key}. */
    void invalidate(K key) {
        cache.synchronous().invalidate(key);
    }

    /** Forgets every answer {@code forget} selects, and every lookup still running (it may have read the old row). */
    void invalidateIf(BiPredicate<K, Optional<V>> forget) {
        cache.asMap().entrySet().removeIf(entry -> {
            CompletableFuture<Optional<V>> answer = entry.getValue();
            return !answer.isDone() || answer.isCompletedExceptionally() || forget.test(entry.getKey(), answer.join());
        });
    }

    /** Forgets everything. */
    void invalidateAll() {
        cache.synchronous().invalidateAll();
    }

    /** Hits and misses so far. */
    CacheStats stats() {
        return cache.synchronous().stats();
    }

    private static <T> T join(CompletableFuture<T> answer) {
        try {
            return answer.join();
        } catch (CompletionException | CancellationException e) {
            // Hand waiting callers the lookup's own exception (a 503 AuthException), not a wrapper.
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
