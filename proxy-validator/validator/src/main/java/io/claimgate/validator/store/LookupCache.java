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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Remembered answers to one kind of lookup: found for the positive TTL, "not found" for the negative TTL.
 *
 * <p>Concurrent lookups of one key share a single query, run on the first caller's thread; the others wait for its
 * outcome, success or failure. Waiting on a shared future rather than inside the map's compute lock matters when the
 * database is down: a hundred requests for one team then fail together after one connection timeout, instead of one
 * after another, a timeout each. A failed lookup is not remembered.
 *
 * <p>An answer can be marked due for a reload ({@link #reloadIf}) rather than forgotten: the next caller that may wait
 * reads it again, and every other caller is served the remembered answer meanwhile. That is for changes of spend
 * alone, which every spend flush makes: forgetting the object made all its requests wait for the read together, a
 * stall once per flush.
 */
final class LookupCache<K, V> {

    private final AsyncCache<K, Optional<V>> cache;
    /** Answers due for a reload, by key; a mark whose answer is no longer the remembered one is ignored. */
    private final ConcurrentHashMap<K, Reload<V>> due = new ConcurrentHashMap<>();

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
            if (!due.isEmpty()) {
                Reload<V> reload = due.get(key);
                if (reload != null) {
                    return reloaded(key, known, reload, lookup);
                }
            }
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

    /**
     * The remembered answer read again, by this caller alone; other callers are served the remembered answer while it
     * runs. On a thread that must not wait, throws before anything changed, so a worker runs it.
     */
    private Optional<V> reloaded(K key, CompletableFuture<Optional<V>> known, Reload<V> reload,
                                 Function<K, Optional<V>> lookup) {
        if (reload.answer != known) {
            due.remove(key, reload);
            return known.join();
        }
        if (reload.claimed.get()) {
            return known.join();
        }
        Blocking.check("a directory reload");
        if (!reload.claimed.compareAndSet(false, true)) {
            return known.join();
        }
        try {
            CompletableFuture<Optional<V>> fresh = CompletableFuture.completedFuture(lookup.apply(key));
            // Only over the answer it reloads: an invalidation meanwhile (a change that is not spend alone) wins.
            if (cache.asMap().replace(key, known, fresh)) {
                // Spend that changed again while this read ran may be missing from it: read once more next time.
                due.computeIfPresent(key, (k, newer) -> newer != reload && newer.answer == known
                        ? new Reload<>(fresh) : newer);
            }
            return fresh.join();
        } catch (RuntimeException | Error failure) {
            // As the invalidation this replaces: the next caller looks it up (and fails closed while it cannot).
            cache.asMap().remove(key, known);
            throw failure;
        } finally {
            due.remove(key, reload);
        }
    }

    /**
     * Marks the answer for {@code key} as due for a reload, or the lookup still running for it (it may have read the
     * old row); a remembered "not found" is forgotten instead, since nothing remembered could be served.
     */
    void reload(K key) {
        CompletableFuture<Optional<V>> answer = cache.asMap().get(key);
        if (answer != null) {
            markDue(key, answer);
        }
        forgetStaleMarks();
    }

    /**
     * As {@link #reload} for every answer {@code which} selects, and for every lookup still running, whose row is not
     * known yet.
     */
    void reloadIf(BiPredicate<K, Optional<V>> which) {
        cache.asMap().forEach((key, answer) -> {
            if (!answer.isDone() || (!answer.isCompletedExceptionally() && which.test(key, answer.join()))) {
                markDue(key, answer);
            }
        });
        forgetStaleMarks();
    }

    private void markDue(K key, CompletableFuture<Optional<V>> answer) {
        if (!answer.isDone()) {
            due.put(key, new Reload<>(answer));
        } else if (!answer.isCompletedExceptionally()) {
            if (answer.join().isPresent()) {
                due.put(key, new Reload<>(answer));
            } else {
                cache.asMap().remove(key, answer);
            }
        }
    }

    /** Drops marks of answers no longer remembered (expired, evicted, replaced), so they never outnumber answers. */
    private void forgetStaleMarks() {
        due.entrySet().removeIf(mark -> cache.asMap().get(mark.getKey()) != mark.getValue().answer);
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
        due.clear();
    }

    /** Hits and misses so far. */
    CacheStats stats() {
        return cache.synchronous().stats();
    }

    /** A remembered answer due for a reload, and whether a caller has taken the reload on. */
    private static final class Reload<V> {

        final CompletableFuture<Optional<V>> answer;
        final AtomicBoolean claimed = new AtomicBoolean();

        Reload(CompletableFuture<Optional<V>> answer) {
            this.answer = answer;
        }
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
