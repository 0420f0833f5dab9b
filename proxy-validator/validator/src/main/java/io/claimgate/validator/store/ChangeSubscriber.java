package io.claimgate.validator.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for {@link ChangeNotice}s on a connection of its own, on a daemon thread, and hands each to a consumer
 * (which drops the cache entries it names).
 *
 * <p>Each time it starts listening, the first time included, it hands over {@link ChangeNotice.Kind#ALL} once: while
 * it was not listening (starting, or after a lost connection) notices may have been missed, and dropping every
 * cached object is the only way to be sure none is stale. A lost connection is noticed within
 * {@link #CHECK_EVERY} at the latest (an idle connection is checked with a query) and opened again every
 * {@link #RETRY_EVERY} until it works.
 */
public final class ChangeSubscriber implements AutoCloseable {

    /** How to open the dedicated connection, e.g. {@link Database#openDedicatedConnection()}. */
    @FunctionalInterface
    public interface ConnectionOpener {
        Connection open() throws SQLException;
    }

    static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    static final Duration RETRY_EVERY = Duration.ofSeconds(1);
    private static final int WAIT_MILLIS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(ChangeSubscriber.class);

    private final ConnectionOpener opener;
    private final Consumer<ChangeNotice> consumer;
    private final Thread thread;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong subscriptions = new AtomicLong();
    private volatile boolean running = true;
    private volatile Connection current;

    private ChangeSubscriber(ConnectionOpener opener, Consumer<ChangeNotice> consumer) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.thread = new Thread(this::run, "claimgate-change-notices");
        thread.setDaemon(true);
    }

    /** Starts listening on a thread of its own. */
    public static ChangeSubscriber start(ConnectionOpener opener, Consumer<ChangeNotice> consumer) {
        ChangeSubscriber subscriber = new ChangeSubscriber(opener, consumer);
        subscriber.thread.start();
        return subscriber;
    }

    /** Notices received so far: a metric. */
    public long receivedNotices() {
        return received.get();
    }

    /** How many times listening started: 1 plus the reconnections; a metric. */
    public long subscriptions() {
        return subscriptions.get();
    }

    private void run() {
        boolean failing = false;
        while (running) {
            try (Connection connection = opener.open()) {
                current = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + ChangeNotice.CHANNEL);
                }
                if (failing) {
                    LOG.info("Listening for change notices again");
                    failing = false;
                }
                subscriptions.incrementAndGet();
                // Listening now: whatever changed before is dropped, whatever changes after is announced.
                deliver(new ChangeNotice(ChangeNotice.Kind.ALL, ""));
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!failing) {
                    LOG.warn("Change notices lost ({}): caches fall back on their TTL until listening again; "
                            + "retrying every {} s", e.getMessage(), RETRY_EVERY.toSeconds());
                    failing = true;
                }
            } finally {
                current = null;
            }
            pause(RETRY_EVERY.toMillis());
        }
    }

    private void listen(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long lastCheck = System.nanoTime();
        while (running) {
            PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                for (PGNotification notification : notifications) {
                    received.incrementAndGet();
                    deliver(ChangeNotice.parse(notification.getParameter()));
                }
                lastCheck = System.nanoTime();
            } else if (System.nanoTime() - lastCheck > CHECK_EVERY.toNanos()) {
                // A connection that died quietly delivers nothing and says nothing: ask it something.
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                lastCheck = System.nanoTime();
            }
        }
    }

    private void deliver(ChangeNotice notice) {
        try {
            consumer.accept(notice);
        } catch (RuntimeException e) {
            LOG.error("Handling change notice {} failed", notice.kind(), e);
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops listening and closes the connection. */
    @Override
    public void close() {
        running = false;
        Connection connection = current;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing is all that was asked.
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
