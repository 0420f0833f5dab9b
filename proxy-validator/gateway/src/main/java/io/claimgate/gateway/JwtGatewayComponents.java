package io.claimgate.gateway;

import io.claimgate.model.IssuerSettings;
import io.claimgate.model.KeySourceSettings;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.ProxyAuthenticator;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.management.ObjectChangeListener;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.management.AnnouncedChanges;
import io.claimgate.validator.store.CachedDirectory;
import io.claimgate.validator.store.ChangeNotices;
import io.claimgate.validator.store.ChangeSubscriber;
import io.claimgate.validator.store.NoticeEviction;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.DatabaseSettings;
import io.claimgate.gateway.store.EmbeddedDatabase;
import io.claimgate.validator.store.PostgresDirectory;
import io.claimgate.validator.token.JwksKeySource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the gateway's parts from its configuration: the database (external through {@code DATABASE_URL}, else
 * an embedded PostgreSQL under {@code gateway.data_dir}), the caching directory over it, the JWKS key source and the
 * JWT pipeline, with their readiness checks and metrics. Closes them in reverse order.
 *
 * <p>Replicas agree within a second: every management change is announced with PostgreSQL's {@code NOTIFY}, and a
 * {@link ChangeSubscriber} on a connection of its own drops what each notice names from the cache (and, after a lost
 * connection, everything once).
 */
public final class JwtGatewayComponents implements GatewayComponents {

    private static final Logger LOG = LoggerFactory.getLogger(JwtGatewayComponents.class);

    private final EmbeddedDatabase embedded;
    private final Database database;
    private final CachedDirectory directory;
    /** The global key source (if any) and one per {@code issuers} entry. */
    private final List<JwksKeySource> keySources;
    private final ProxyAuthenticator authenticator;
    private final ChangeSubscriber subscriber;
    private final List<Runnable> alsoOnChange = new CopyOnWriteArrayList<>();
    private final List<ReadinessCheck> readiness = new ArrayList<>();

    private JwtGatewayComponents(GatewayConfig config, GatewayMetrics metrics) {
        EmbeddedDatabase startedEmbedded = null;
        Database openedDatabase = null;
        List<JwksKeySource> startedKeys = new ArrayList<>();
        ChangeSubscriber startedSubscriber = null;
        try {
            DatabaseSettings databaseSettings;
            if (config.databaseUrlIfAny().isPresent()) {
                databaseSettings = DatabaseSettings.of(config.databaseUrl());
            } else {
                LOG.info("No DATABASE_URL: starting an embedded PostgreSQL with its data in {}",
                        config.gateway().dataDir().toAbsolutePath());
                startedEmbedded = EmbeddedDatabase.start(config.gateway().dataDir(), 0);
                databaseSettings = DatabaseSettings.of(startedEmbedded.jdbcUrl());
            }
            openedDatabase = Database.open(databaseSettings.withMigrate(config.gateway().runMigrations()));
            Database db = openedDatabase;
            readiness.add(ReadinessCheck.database(db.dataSource(), Duration.ofSeconds(2)));
            metrics.gauge("claimgate_db_pool_active", "Database connections in use", db::activeConnections);
            metrics.gauge("claimgate_db_pool_idle", "Idle database connections", db::idleConnections);
            metrics.gauge("claimgate_db_pool_open", "Open database connections", db::totalConnections);
            metrics.gauge("claimgate_db_pool_pending", "Threads waiting for a database connection",
                    db::pendingThreads);

            CachedDirectory cached = new CachedDirectory(new PostgresDirectory(db.dataSource()));
            metrics.counter("claimgate_object_cache_hits", "Team, user, organization and end-user cache hits",
                    () -> cached.stats().values().stream().mapToLong(s -> s.hitCount()).sum());
            metrics.counter("claimgate_object_cache_misses", "Team, user, organization and end-user cache misses",
                    () -> cached.stats().values().stream().mapToLong(s -> s.missCount()).sum());
            startedSubscriber = ChangeSubscriber.start(db::openDedicatedConnection,
                    new NoticeEviction(cached, alsoOnChange));
            ChangeSubscriber notices = startedSubscriber;
            metrics.counter("claimgate_change_notices_received", "Change notices received from PostgreSQL",
                    notices::receivedNotices);
            metrics.counter("claimgate_change_notice_subscriptions", "Times listening for change notices started "
                    + "(1 + reconnections; each drops every cached object once)", notices::subscriptions);

            ProxyAuthenticator pipeline = null;
            if (config.enableJwtAuth()) {
                KeySourceSettings keySettings = config.jwtAuth().keySource();
                ProxyAuthenticator.Builder builder = ProxyAuthenticator.builder(config.jwtAuth()).directory(cached);
                if (!keySettings.publicKeyUrls().isEmpty() || keySettings.issuers().isEmpty()) {
                    JwksKeySource keys = new JwksKeySource(keySettings);
                    startedKeys.add(keys);
                    readiness.add(new ReadinessCheck("key_source", () -> hasKeys(keys)));
                    builder.keySource(keys);
                }
                for (IssuerSettings issuer : keySettings.issuers()) {
                    JwksKeySource keys = new JwksKeySource(issuer.keySource(keySettings));
                    startedKeys.add(keys);
                    // One check per issuer: a realm whose keys cannot be fetched makes its users' requests fail.
                    readiness.add(new ReadinessCheck("key_source:" + issuer.issuer(), () -> hasKeys(keys)));
                    builder.issuerKeySource(issuer.issuer(), keys);
                }
                List<JwksKeySource> sources = List.copyOf(startedKeys);
                metrics.counter("claimgate_jwks_fetches", "JWKS documents fetched",
                        () -> sources.stream().mapToLong(JwksKeySource::fetchCount).sum());
                metrics.counter("claimgate_jwks_fetch_failures", "JWKS fetches that failed",
                        () -> sources.stream().mapToLong(JwksKeySource::fetchFailureCount).sum());
                metrics.counter("claimgate_jwks_refetches_refused",
                        "Unknown-kid refetches refused by the rate limit",
                        () -> sources.stream().mapToLong(JwksKeySource::refusedRefetchCount).sum());
                pipeline = builder
                        .modelCatalogue(config.modelCatalogue())
                        .defaultUserParams(config.defaultUserParams())
                        .build();
                ProxyAuthenticator tokens = pipeline;
                metrics.gauge("claimgate_known_tokens", "Verified tokens remembered until they expire",
                        tokens::knownTokenCount);
            }
            embedded = startedEmbedded;
            database = openedDatabase;
            directory = cached;
            keySources = List.copyOf(startedKeys);
            authenticator = pipeline;
            subscriber = startedSubscriber;
        } catch (RuntimeException e) {
            closeQuietly(startedSubscriber);
            startedKeys.forEach(JwtGatewayComponents::closeQuietly);
            closeQuietly(openedDatabase);
            closeQuietly(startedEmbedded);
            throw e;
        }
    }

    /** Builds the components; fails with the first part that cannot start, having stopped the ones that did. */
    public static JwtGatewayComponents create(GatewayConfig config, GatewayMetrics metrics) {
        return new JwtGatewayComponents(config, metrics);
    }

    /** Keys are ready when some are usable; asking for them starts a fetch if none was made yet. */
    private static boolean hasKeys(JwksKeySource keys) {
        if (!keys.currentKeys().isEmpty()) {
            return true;
        }
        try {
            keys.keysFor(null);
        } catch (AuthException e) {
            return false;
        }
        return !keys.currentKeys().isEmpty();
    }

    @Override
    public Authenticator authenticator() {
        return authenticator;
    }

    @Override
    public DataSource dataSource() {
        return database.dataSource();
    }

    @Override
    public ObjectChangeListener changes() {
        return new AnnouncedChanges(localChanges(), new ChangeNotices(database.dataSource()));
    }

    @Override
    public void onAnyChange(Runnable action) {
        alsoOnChange.add(action);
    }

    private ObjectChangeListener localChanges() {
        CachedDirectory cache = directory;
        return new ObjectChangeListener() {
            @Override
            public void teamChanged(String teamId) {
                cache.invalidateTeam(teamId);
            }

            @Override
            public void userChanged(String userId) {
                cache.invalidateUser(userId);
            }

            @Override
            public void organizationChanged(String organizationId) {
                cache.invalidateOrganization(organizationId);
            }

            @Override
            public void endUserChanged(String endUserId) {
                cache.invalidateEndUser(endUserId);
            }
        };
    }

    @Override
    public List<ReadinessCheck> readinessChecks() {
        return List.copyOf(readiness);
    }

    @Override
    public void close() {
        closeQuietly(subscriber);
        closeQuietly(authenticator);
        keySources.forEach(JwtGatewayComponents::closeQuietly);
        closeQuietly(database);
        closeQuietly(embedded);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Stopping {} failed", closeable.getClass().getSimpleName(), e);
        }
    }
}
