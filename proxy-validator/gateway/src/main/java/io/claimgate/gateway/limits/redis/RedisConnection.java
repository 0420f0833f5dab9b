package io.claimgate.gateway.limits.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one connection to Redis a gateway keeps, made so that Redis can never hold a request up: commands time out
 * after the settings' timeout, are refused at once while the connection is down (rather than queued), and the
 * connection is made and remade in the background. A Redis that is down when the gateway starts is connected to when it
 * comes up.
 */
final class RedisConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);
    /** How often a Redis that could not be reached is tried again. */
    static final Duration RETRY_INTERVAL = Duration.ofMillis(500);

    private final RedisSettings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService connector;
    private volatile StatefulRedisConnection<String, String> connection;
    private final CountDownLatch connected = new CountDownLatch(1);
    private volatile boolean closed;

    RedisConnection(RedisSettings settings) {
        this.settings = settings;
        // Few threads: one connection's traffic needs no more, and the gateway's request threads do the waiting.
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(RETRY_INTERVAL)).build();
        this.client = RedisClient.create(resources, settings.uri());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout(settings.timeout())).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .build());
        this.connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "claimgate-redis-connect");
            thread.setDaemon(true);
            return thread;
        });
        connector.execute(this::connect);
    }

    /**
     * Waits until connected, at most {@code atMost}, so that a gateway whose Redis is up (or comes up while the gateway
     * starts) shares its limits from the first request. Returns early on interrupt.
     */
    void awaitConnection(Duration atMost) {
        try {
            connected.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The commands, while a connection is open; empty while Redis has never been reached or the link is down. */
    Optional<RedisCommands<String, String>> commands() {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null || !current.isOpen()) {
            return Optional.empty();
        }
        return Optional.of(current.sync());
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            StatefulRedisConnection<String, String> made = client.connect();
            made.setTimeout(settings.timeout());
            connection = made;
            connected.countDown();
            LOG.info("Connected to Redis at {}: rate limits are shared by the replicas", settings.location());
        } catch (RuntimeException e) {
            // Logged by RedisWindows once per outage; here only the retry.
            if (!closed) {
                connector.schedule(this::connect, RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Connecting may take longer than one command, but not so long that a dead host keeps the connector busy. */
    private static Duration connectTimeout(Duration commandTimeout) {
        Duration floor = Duration.ofSeconds(1);
        return commandTimeout.compareTo(floor) > 0 ? commandTimeout : floor;
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
