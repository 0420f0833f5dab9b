package io.claimgate.gateway.limits.redis;

import io.claimgate.gateway.limits.LimitType;
import io.claimgate.gateway.limits.RateLimit;
import io.claimgate.gateway.limits.SharedWindows;
import io.claimgate.validator.Blocking;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The replicas' rate-limit windows in Redis: each admission is one Lua script run (EVALSHA, EVAL when Redis has lost
 * the script, e.g. after a restart), atomic on the server, with the in-memory counters' fixed windows and checks, on
 * Redis's clock so that the replicas' clocks need not agree. A parallel slot is a member of a sorted set scored with
 * its lease's end, so that the slots of a replica that died free themselves.
 *
 * <p>When Redis does not answer within the timeout, or the connection is down, {@link #admit} answers empty and the
 * {@code RateLimiter} counts locally; the outage is logged once, counted in {@link #fallbacks()}, and Redis is tried
 * again after {@link RedisConnection#RETRY_INTERVAL}, so that a dead Redis costs at most one timeout per interval.
 */
final class RedisWindows implements SharedWindows {

    private static final Logger LOG = LoggerFactory.getLogger(RedisWindows.class);
    private static final String KEY_PREFIX = "claimgate:ratelimit:";
    private static final LimitType[] TYPES = LimitType.values();

    private final RedisConnection connection;
    private final RedisSettings settings;
    private final Script admitScript = Script.load("admit.lua");
    private final Script finishScript = Script.load("finish.lua");
    /** Makes slot ids unique across replicas without coordination. */
    private final String replica = UUID.randomUUID().toString();
    private final AtomicLong slots = new AtomicLong();
    private final AtomicBoolean down = new AtomicBoolean(false);
    private volatile long retryAtNanos;
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder unfinished = new LongAdder();

    RedisWindows(RedisConnection connection, RedisSettings settings) {
        this.connection = connection;
        this.settings = settings;
    }

    @Override
    public Optional<SharedCount> admit(RateLimit[] limits, long windowMillis) {
        // A round trip to Redis (or a reconnection): never on an event loop, and before anything is counted.
        Blocking.check("a Redis admission");
        Optional<RedisCommands<String, String>> commands = reachable();
        if (commands.isEmpty()) {
            fallbacks.increment();
            return Optional.empty();
        }
        String slot = replica + ":" + slots.incrementAndGet();
        String[] keys = keys(limits);
        String[] args = new String[3 + limits.length * 3];
        args[0] = Long.toString(windowMillis);
        args[1] = Long.toString(settings.slotLease().toMillis());
        args[2] = slot;
        for (int i = 0; i < limits.length; i++) {
            args[3 + i * 3] = limitArg(limits[i].requestsPerMinute());
            args[4 + i * 3] = limitArg(limits[i].tokensPerMinute());
            args[5 + i * 3] = limitArg(limits[i].maxParallelRequests());
        }
        SharedCount count;
        try {
            count = count(slot, admitScript.run(commands.get(), keys, args), limits.length);
        } catch (RuntimeException e) {
            // Timeouts, a dropped link, an interrupted thread, an error reply (a full Redis, a cluster's CROSSSLOT),
            // an unreadable reply: all counted here rather than answered with a 500.
            unreachable(e);
            fallbacks.increment();
            return Optional.empty();
        }
        reachedAgain();
        return Optional.of(count);
    }

    @Override
    public void finish(RateLimit[] limits, String slot, long tokens, long windowMillis) {
        Optional<RedisCommands<String, String>> commands = reachable();
        if (commands.isEmpty()) {
            unfinished.increment();
            return;
        }
        try {
            finishScript.run(commands.get(), keys(limits), Long.toString(windowMillis), slot, Long.toString(tokens));
            reachedAgain();
        } catch (RuntimeException e) {
            // The slot's lease frees it; the answer's tokens are not counted.
            unreachable(e);
            unfinished.increment();
        }
    }

    @Override
    public int fallbackReplicas() {
        return settings.fallbackReplicas();
    }

    /** Whether the last call reached Redis. */
    boolean available() {
        return !down.get() && connection.commands().isPresent();
    }

    /** Admissions counted locally because Redis did not answer. */
    long fallbacks() {
        return fallbacks.sum();
    }

    /** Finished answers whose tokens and slots could not be given to Redis (the slots free by their lease). */
    long unfinished() {
        return unfinished.sum();
    }

    private Optional<RedisCommands<String, String>> reachable() {
        if (down.get() && System.nanoTime() - retryAtNanos < 0) {
            return Optional.empty();
        }
        Optional<RedisCommands<String, String>> commands = connection.commands();
        if (commands.isEmpty()) {
            unreachable(null);
        }
        return commands;
    }

    private void unreachable(RuntimeException cause) {
        retryAtNanos = System.nanoTime() + RedisConnection.RETRY_INTERVAL.toNanos();
        if (down.compareAndSet(false, true)) {
            LOG.warn("Redis at {} does not answer ({}): each replica counts rate limits alone, each limit divided by {}, "
                            + "until it answers again", settings.location(),
                    cause == null ? "not connected" : cause.getClass().getSimpleName(), settings.fallbackReplicas());
        }
    }

    private void reachedAgain() {
        if (down.compareAndSet(true, false)) {
            LOG.info("Redis at {} answers again: rate limits are shared by the replicas", settings.location());
        }
    }

    private static SharedCount count(String slot, List<Object> reply, int limits) {
        int refusedAt = (int) number(reply, 0);
        int refusedBy = (int) number(reply, 1);
        long now = number(reply, 2);
        long[] counts = new long[limits * 4];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = number(reply, 3 + i);
        }
        return new SharedCount(slot, now, refusedAt, refusedAt < 0 ? null : TYPES[refusedBy], counts);
    }

    private static long number(List<Object> reply, int index) {
        if (index >= reply.size() || !(reply.get(index) instanceof Long value)) {
            throw new IllegalStateException("unexpected reply from the rate-limit script at " + index);
        }
        return value;
    }

    /** Two keys a subject: its window's counts and its parallel slots. */
    private static String[] keys(RateLimit[] limits) {
        String[] keys = new String[limits.length * 2];
        for (int i = 0; i < limits.length; i++) {
            String subject = KEY_PREFIX + limits[i].scope().descriptor() + ":" + limits[i].id();
            keys[i * 2] = subject + ":window";
            keys[i * 2 + 1] = subject + ":slots";
        }
        return keys;
    }

    private static String limitArg(Long limit) {
        return limit == null ? "-1" : Long.toString(limit);
    }

    /** A Lua script run by its digest, sent whole only when Redis does not have it. */
    private static final class Script {
        private final String source;
        private volatile String digest;

        private Script(String source) {
            this.source = source;
        }

        static Script load(String name) {
            try (InputStream in = RedisWindows.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + name);
                }
                return new Script(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<Object> run(RedisCommands<String, String> commands, String[] keys, String... args) {
            String sha = digest;
            if (sha == null) {
                sha = commands.digest(source);
                digest = sha;
            }
            try {
                return commands.evalsha(sha, ScriptOutputType.MULTI, keys, args);
            } catch (RedisNoScriptException e) {
                // EVAL also caches the script, so the next run's EVALSHA finds it.
                return commands.eval(source, ScriptOutputType.MULTI, keys, args);
            }
        }
    }
}
