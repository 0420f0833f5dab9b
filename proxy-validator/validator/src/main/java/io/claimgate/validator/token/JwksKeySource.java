package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.JWK;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.AuthException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keys from the URLs of {@code JWT_PUBLIC_KEY_URL}, as LiteLLM reads them, with caching and outage tolerance.
 *
 * <ul>
 *   <li>URLs are tried in order until one has a key for the token's {@code kid}. Each is a JWKS URL or an OIDC
 *       discovery URL (its {@code jwks_uri} is resolved); see {@link JwksDocument} for accepted shapes.</li>
 *   <li>Keys live {@code public_key_ttl}; a daemon thread refreshes them at 80% of it so requests never wait.</li>
 *   <li>An unknown {@code kid} triggers a refetch, at most {@code 2 per 30 s} per URL (configurable), shared by
 *       concurrent requests; a flood of made-up {@code kid}s costs the IdP nothing.</li>
 *   <li>When a URL fails, its last good keys stay in use for {@code public_key_stale_ttl} past their TTL while the
 *       background keeps retrying. With no usable key anywhere, {@link #keysFor(String)} answers 503.</li>
 * </ul>
 */
public final class JwksKeySource implements KeySource {

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);

    private final List<Endpoint> endpoints;
    private final ScheduledExecutorService scheduler;
    private final KeyDocumentClient client;
    private final long ttlMillis;
    private final long staleMillis;
    private final long awaitMillis;
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
            list.add(new Endpoint(URI.create(url.trim()), new FetchBudget(b.refetchPermits, b.refetchWindow.toMillis())));
        }
        this.endpoints = List.copyOf(list);
    }

    /** A source over the settings' URLs, TTL and stale TTL, with the default limits. */
    public JwksKeySource(JwtAuthSettings settings) {
        this(builder(settings));
    }

    /** A builder starting from the settings' URLs, TTL and stale TTL. */
    public static Builder builder(JwtAuthSettings settings) {
        return new Builder(settings);
    }

    @Override
    public List<JWK> keysFor(String kid) {
        boolean anyKeys = false;
        boolean[] fetchedNow = new boolean[endpoints.size()];
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint endpoint = endpoints.get(i);
            KeySet keys = endpoint.usableKeys();
            if (keys == null) {
                fetchedNow[i] = true;
                keys = endpoint.fetchWithinBudget();
            }
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
                if (!fetchedNow[i]) {
                    KeySet keys = endpoints.get(i).fetchWithinBudget();
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

    @Override
    public boolean holds(String kid) {
        for (int i = 0; i < endpoints.size(); i++) {
            KeySet keys = endpoints.get(i).usableKeys();
            if (keys != null && !keys.candidates(kid).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public KeySet currentKeys() {
        List<JWK> all = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            KeySet keys = endpoint.usableKeys();
            if (keys != null) {
                all.addAll(keys.keys());
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

    /** Refetches for unknown kids (or missing keys) refused by the per-URL budget, for metrics. */
    public long refusedRefetchCount() {
        return refusedRefetches.get();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
    }

    /** Strips user info and query so that logged URLs carry no secrets. */
    static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private long now() {
        return System.currentTimeMillis();
    }

    /** Keys fetched from one URL at one time. */
    private record Snapshot(KeySet keys, long fetchedAt) {
    }

    /** One configured URL: its keys, its budget, its single in-flight fetch and its refresh schedule. */
    private final class Endpoint {
        private final URI url;
        private final String name;
        private final FetchBudget budget;
        private final AtomicReference<CompletableFuture<Snapshot>> inFlight = new AtomicReference<>();
        private volatile Snapshot snapshot;
        private volatile URI jwksUri;
        private volatile boolean warnedStale;
        private ScheduledFuture<?> nextRefresh;

        Endpoint(URI url, FetchBudget budget) {
            this.url = url;
            this.name = redact(url);
            this.budget = budget;
        }

        /** The keys if they are within TTL plus stale TTL, else {@code null}. Never fetches. */
        KeySet usableKeys() {
            Snapshot s = snapshot;
            if (s == null) {
                return null;
            }
            long age = now() - s.fetchedAt();
            if (age < ttlMillis) {
                return s.keys();
            }
            if (age < ttlMillis + staleMillis) {
                if (!warnedStale) {
                    warnedStale = true;
                    LOG.warn("Keys from {} are past public_key_ttl; using the last good keys {} for up to {} s more",
                            name, s.keys().keyIds(), (ttlMillis + staleMillis - age) / 1000);
                }
                return s.keys();
            }
            return null;
        }

        /** Joins a running fetch, or starts one if the budget allows; answers the usable keys afterwards. */
        KeySet fetchWithinBudget() {
            CompletableFuture<Snapshot> running = inFlight.get();
            if (running == null && !budget.tryAcquire(now())) {
                refusedRefetches.incrementAndGet();
            } else if (running != null) {
                await(running);
            } else {
                fetchShared();
            }
            KeySet keys = usableKeys();
            return keys == null ? KeySet.empty() : keys;
        }

        /** Fetches once for every concurrent caller. */
        void fetchShared() {
            CompletableFuture<Snapshot> mine = new CompletableFuture<>();
            CompletableFuture<Snapshot> running = inFlight.compareAndExchange(null, mine);
            if (running != null) {
                await(running);
                return;
            }
            try {
                fetches.incrementAndGet();
                KeySet keys = load();
                Snapshot previous = snapshot;
                Snapshot fresh = new Snapshot(keys, now());
                snapshot = fresh;
                warnedStale = false;
                if (previous == null || !previous.keys().keyIds().equals(keys.keyIds())) {
                    LOG.info("Using {} public key(s) {} from {}", keys.keys().size(), keys.keyIds(), name);
                }
                schedule(ttlMillis * 4 / 5);
                mine.complete(fresh);
            } catch (IOException | RuntimeException e) {
                failures.incrementAndGet();
                jwksUri = null;
                LOG.warn("Fetching public keys from {} failed: {}", name, e.getMessage());
                schedule(Math.max(100, Math.min(ttlMillis / 5, 60_000)));
                mine.complete(null);
            } finally {
                inFlight.set(null);
            }
        }

        private void await(CompletableFuture<Snapshot> running) {
            try {
                running.get(awaitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // The fetching thread logs and counts its own failure.
            }
        }

        private synchronized void schedule(long delayMillis) {
            if (closed) {
                return;
            }
            if (nextRefresh != null) {
                nextRefresh.cancel(false);
            }
            try {
                nextRefresh = scheduler.schedule(this::fetchShared, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closed meanwhile.
            }
        }

        /** Reads the URL, resolving a discovery document to its {@code jwks_uri} (remembered until a failure). */
        private KeySet load() throws IOException {
            URI target = jwksUri != null ? jwksUri : url;
            JwksDocument document = JwksDocument.parse(client.get(target));
            if (document.jwksUri() != null) {
                if (target != url) {
                    throw new IOException("jwks_uri leads to another discovery document");
                }
                URI resolved = url.resolve(document.jwksUri());
                boolean allowed = "https".equals(resolved.getScheme())
                        || "http".equals(resolved.getScheme()) && "http".equals(url.getScheme());
                if (!allowed) {
                    throw new IOException("discovery jwks_uri must be https");
                }
                document = JwksDocument.parse(client.get(resolved));
                if (document.jwksUri() != null) {
                    throw new IOException("jwks_uri leads to another discovery document");
                }
                jwksUri = resolved;
            }
            if (document.keys().isEmpty()) {
                throw new IOException("no usable RSA or EC public key in the document");
            }
            if (document.skipped() > 0) {
                LOG.debug("Skipped {} unusable entries from {}", document.skipped(), name);
            }
            return KeySet.of(document.keys());
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
        private int refetchPermits = 2;
        private Duration refetchWindow = Duration.ofSeconds(30);

        private Builder(JwtAuthSettings settings) {
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

        /** Request-driven fetches allowed per URL per window (default 2 per 30 s). */
        public Builder refetchBudget(int permits, Duration window) {
            refetchPermits = atLeastOne(permits, "permits");
            refetchWindow = positive(window, "window");
            return this;
        }

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
