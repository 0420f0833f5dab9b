package io.claimgate.validator.token;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.KeySourceSettings;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keys from the URLs of {@code JWT_PUBLIC_KEY_URL}, as LiteLLM reads them, with caching and outage tolerance.
 *
 * <ul>
 *   <li>URLs are tried in order until one has a key for the token's {@code kid}. Each is a JWKS URL or an OIDC
 *       discovery URL (its {@code jwks_uri} is resolved); see {@link JwksDocument} for accepted shapes.</li>
 *   <li>Keys live {@code public_key_ttl}; a daemon thread refreshes them at 80% of it so requests never wait.</li>
 *   <li>An unknown {@code kid} triggers a refetch, at most 2 per 30 s per URL (configurable), shared by
 *       concurrent requests; a flood of made-up {@code kid}s costs the IdP nothing.</li>
 *   <li>When a URL fails, its last good keys stay in use for {@code public_key_stale_ttl} past their TTL while the
 *       background keeps retrying. With no usable key anywhere, {@link #keysFor(String)} answers 503.</li>
 * </ul>
 *
 * <p>Each URL is a chain of nimbus {@code JWKSetSource}s, top to bottom: {@link CachingJWKSetSource} (the TTL, one
 * fetch shared by concurrent callers), {@link RequestFetchLimit} (nimbus's rate limit, for requests only),
 * {@link OutageTolerantJWKSetSource} (the last good keys while the URL fails) and {@link KeyDocumentSource} (our
 * retrieval: discovery, PEM maps, the hardened {@link KeyDocumentClient}). The refresh schedule is ours rather than
 * nimbus's {@code RefreshAheadCachingJWKSetSource}, which schedules nothing after a refresh that fails: through an
 * outage no one would retry but requests, and those the rate limit holds to 2 per 30 s, so recovery could wait 30 s
 * after the IdP is back instead of at most {@code ttl/5}.
 */
public final class JwksKeySource implements KeySource {

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);

    private final List<Endpoint> endpoints;
    private final ScheduledExecutorService scheduler;
    private final KeyDocumentClient client;
    private final long ttlMillis;
    private final long staleMillis;
    private final long awaitMillis;
    private final long refetchWindowMillis;
    private final AtomicLong fetches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong refusedRefetches = new AtomicLong();
    private volatile boolean closed;

    private JwksKeySource(Builder b) {
        if (b.urls.isEmpty()) {
            throw new IllegalArgumentException(JwtAuthSettings.ENV_PUBLIC_KEY_URL + " names no URL");
        }
        this.ttlMillis = b.ttl.toMillis();
        this.staleMillis = b.staleTtl.toMillis();
        this.refetchWindowMillis = b.refetchWindow.toMillis();
        this.client = new KeyDocumentClient(b.connectTimeout, b.readTimeout, b.maxResponseBytes, b.attempts,
                b.backoff);
        this.awaitMillis = client.maxDuration().toMillis();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "claimgate-jwks-refresh");
            thread.setDaemon(true);
            return thread;
        });
        List<Endpoint> list = new ArrayList<>(b.urls.size());
        for (String url : b.urls) {
            list.add(new Endpoint(URI.create(url.trim())));
        }
        this.endpoints = List.copyOf(list);
    }

    /** A source over the settings' URLs, TTL and stale TTL, with the default limits. */
    public JwksKeySource(KeySourceSettings settings) {
        this(builder(settings));
    }

    /** A builder starting from the settings' URLs, TTL and stale TTL. */
    public static Builder builder(KeySourceSettings settings) {
        return new Builder(settings);
    }

    @Override
    public List<JWK> keysFor(String kid) {
        long start = now();
        if (Blocking.isForbidden() && !answersFromMemory(kid, start)) {
            Blocking.check("a key fetch");
        }
        boolean anyKeys = false;
        // Indexed loops: the hit path allocates nothing, not even an iterator the JIT might not elide.
        for (int i = 0; i < endpoints.size(); i++) {
            KeySet keys = endpoints.get(i).keys(now());
            if (!keys.isEmpty()) {
                anyKeys = true;
                List<JWK> candidates = keys.candidates(kid);
                if (!candidates.isEmpty()) {
                    return candidates;
                }
            }
        }
        if (kid != null) {
            // A kid nobody knows may be a rotation we have not seen yet.
            for (int i = 0; i < endpoints.size(); i++) {
                Endpoint endpoint = endpoints.get(i);
                if (!endpoint.fetchedSince(start)) {
                    KeySet keys = endpoint.refetch(now());
                    anyKeys |= !keys.isEmpty();
                    List<JWK> candidates = keys.candidates(kid);
                    if (!candidates.isEmpty()) {
                        return candidates;
                    }
                }
            }
        }
        if (!anyKeys) {
            throw AuthException.unavailable(Rejection.KEYS_UNAVAILABLE,
                    "Validation fails: public keys are unavailable; try again later", null);
        }
        return List.of();
    }

    /**
     * Whether {@link #keysFor} would answer without a fetch: every endpoint it may ask before the one holding the key
     * is within its TTL (with a second to spare, so that the cache never expires between this check and the read).
     */
    private boolean answersFromMemory(String kid, long now) {
        for (int i = 0; i < endpoints.size(); i++) {
            Fetched last = endpoints.get(i).last;
            if (last == null || now - last.at() >= ttlMillis - 1_000) {
                return false;
            }
            if (!last.keys().candidates(kid).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean holds(String kid) {
        long now = now();
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint endpoint = endpoints.get(i);
            Fetched last = endpoint.last;
            if (last != null && endpoint.usable(now) && !last.keys().candidates(kid).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public KeySet currentKeys() {
        long now = now();
        List<JWK> all = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            Fetched last = endpoint.last;
            if (last != null && endpoint.usable(now)) {
                all.addAll(last.keys().keys());
            }
        }
        return KeySet.of(all);
    }

    /** Key documents fetched (each one logical fetch, successful or not), for metrics. */
    public long fetchCount() {
        return fetches.get();
    }

    /** Fetches that failed, for metrics. */
    public long fetchFailureCount() {
        return failures.get();
    }

    /** Request-driven fetches (unknown kid, or no usable keys) refused by the per-URL rate limit, for metrics. */
    public long refusedRefetchCount() {
        return refusedRefetches.get();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        for (Endpoint endpoint : endpoints) {
            endpoint.close();
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** A successful fetch: the set the cache holds, its keys indexed by kid, and when it was fetched. */
    private record Fetched(JWKSet set, KeySet keys, long at) {
    }

    /** One configured URL: its nimbus chain, its last good keys and its refresh schedule. */
    private final class Endpoint implements KeyDocumentSource.Outcome {
        private final KeyDocumentSource document;
        private final CachingJWKSetSource<FetchCause> cache;
        private final AtomicLong attempts = new AtomicLong();
        private volatile Fetched last;
        /** The set the cache served last, indexed; differs from {@link #last} when it is an outage copy. */
        private volatile Fetched served;
        private volatile long lastAttemptAt = Long.MIN_VALUE;
        private volatile boolean warnedStale;
        private ScheduledFuture<?> nextRefresh;

        Endpoint(URI url) {
            document = new KeyDocumentSource(url, client, this);
            JWKSetSource<FetchCause> outage = new OutageTolerantJWKSetSource<>(document, ttlMillis + staleMillis, null);
            JWKSetSource<FetchCause> limited = new RequestFetchLimit(outage, refetchWindowMillis,
                    refusedRefetches::incrementAndGet);
            cache = new CachingJWKSetSource<>(limited, ttlMillis, awaitMillis, null);
        }

        /** The usable keys, fetched within the request limit when there are none; empty when none are usable. */
        KeySet keys(long now) {
            JWKSet set = read(JWKSetCacheRefreshEvaluator.noRefresh(), now);
            if (set != null && !usable(now)) {
                // The cache may hold an outage copy longer than the stale window: only a fetch can help now.
                set = read(JWKSetCacheRefreshEvaluator.referenceComparison(set), now);
            }
            return set != null && usable(now) ? indexed(set) : KeySet.empty();
        }

        /** The keys after a request-driven refetch, or the current ones when the rate limit refuses it. */
        KeySet refetch(long now) {
            JWKSet seen = read(JWKSetCacheRefreshEvaluator.noRefresh(), now);
            if (seen != null) {
                JWKSet fetched = read(JWKSetCacheRefreshEvaluator.referenceComparison(seen), now);
                seen = fetched != null ? fetched : seen;
            }
            return seen != null && usable(now) ? indexed(seen) : KeySet.empty();
        }

        /** Whether a fetch was attempted at or after this time. */
        boolean fetchedSince(long time) {
            return lastAttemptAt >= time;
        }

        /** Whether the last good keys are within TTL plus stale TTL. */
        boolean usable(long now) {
            Fetched f = last;
            if (f == null) {
                return false;
            }
            long age = now - f.at();
            if (age >= ttlMillis && !warnedStale && age < ttlMillis + staleMillis) {
                warnedStale = true;
                LOG.warn("Keys from {} are past public_key_ttl; using the last good keys {} for up to {} s more",
                        document.name(), f.keys().keyIds(), (ttlMillis + staleMillis - age) / 1000);
            }
            return age < ttlMillis + staleMillis;
        }

        private KeySet indexed(JWKSet set) {
            Fetched s = served;
            if (s == null || s.set() != set) {
                Fetched f = last;
                s = f != null && f.set() == set ? f : new Fetched(set, KeySet.of(set.getKeys()), now());
                served = s;
            }
            return s.keys();
        }

        private JWKSet read(JWKSetCacheRefreshEvaluator evaluator, long now) {
            try {
                return cache.getJWKSet(evaluator, now, FetchCause.REQUEST);
            } catch (KeySourceException e) {
                // A failed fetch is logged and counted where it happened; a refused one by the rate limit.
                return null;
            }
        }

        /** The background refresh: fetches even when the cached keys are fresh, around the request limit. */
        private void refresh() {
            long before = attempts.get();
            try {
                JWKSet seen = cache.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now(), FetchCause.REFRESH);
                if (attempts.get() == before) {
                    cache.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(seen), now(), FetchCause.REFRESH);
                }
            } catch (KeySourceException | RuntimeException e) {
                // The fetch logged and counted its failure and scheduled the retry.
            }
        }

        @Override
        public void fetched(JWKSet set, KeySet keys, long at) {
            fetches.incrementAndGet();
            attempts.incrementAndGet();
            lastAttemptAt = at;
            last = new Fetched(set, keys, at);
            warnedStale = false;
            schedule(ttlMillis * 4 / 5);
        }

        @Override
        public void failed(long at) {
            fetches.incrementAndGet();
            failures.incrementAndGet();
            attempts.incrementAndGet();
            lastAttemptAt = at;
            schedule(Math.max(100, Math.min(ttlMillis / 5, 60_000)));
        }

        private synchronized void schedule(long delayMillis) {
            if (closed) {
                return;
            }
            if (nextRefresh != null) {
                nextRefresh.cancel(false);
            }
            try {
                nextRefresh = scheduler.schedule(this::refresh, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closed meanwhile.
            }
        }

        void close() {
            try {
                cache.close();
            } catch (IOException e) {
                // Nothing of ours is left open: the chain ends in KeyDocumentSource, which holds nothing.
            }
        }
    }

    /** Limits of the source; defaults suit production. */
    public static final class Builder {
        private final List<String> urls;
        private final Duration ttl;
        private final Duration staleTtl;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration readTimeout = Duration.ofSeconds(5);
        private int maxResponseBytes = 1024 * 1024;
        private int attempts = 2;
        private Duration backoff = Duration.ofMillis(200);
        private Duration refetchWindow = Duration.ofSeconds(30);

        private Builder(KeySourceSettings settings) {
            this.urls = List.copyOf(settings.publicKeyUrls());
            this.ttl = settings.publicKeyTtl();
            this.staleTtl = settings.publicKeyStaleTtl();
        }

        /** Connect timeout per attempt (default 2 s). */
        public Builder connectTimeout(Duration v) { connectTimeout = positive(v, "connectTimeout"); return this; }

        /** Read timeout per attempt (default 5 s). */
        public Builder readTimeout(Duration v) { readTimeout = positive(v, "readTimeout"); return this; }

        /** Largest accepted response (default 1 MiB). */
        public Builder maxResponseBytes(int v) { maxResponseBytes = atLeastOne(v, "maxResponseBytes"); return this; }

        /** Attempts per fetch, 1 to 3 (default 2). */
        public Builder attempts(int v) {
            if (v < 1 || v > 3) {
                throw new IllegalArgumentException("attempts must be 1 to 3");
            }
            attempts = v;
            return this;
        }

        /** Pause before the second attempt, doubled before the third (default 200 ms). */
        public Builder backoff(Duration v) { backoff = v.isNegative() ? Duration.ZERO : v; return this; }

        /**
         * The window in which at most two request-driven fetches per URL pass (default 30 s), nimbus's
         * {@code RateLimitedJWKSetSource} rule. The background refresh is not counted.
         */
        public Builder refetchWindow(Duration v) { refetchWindow = positive(v, "refetchWindow"); return this; }

        /** Builds and returns the source; fetching starts with the first request. */
        public JwksKeySource build() {
            return new JwksKeySource(this);
        }

        private static Duration positive(Duration v, String name) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return v;
        }

        private static int atLeastOne(int v, String name) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be at least 1");
            }
            return v;
        }
    }
}
