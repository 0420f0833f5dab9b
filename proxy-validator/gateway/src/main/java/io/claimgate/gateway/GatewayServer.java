package io.claimgate.gateway;

import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.http.BearerToken;
import io.claimgate.gateway.http.BodyReader;
import io.claimgate.gateway.http.GatewayHandler;
import io.claimgate.gateway.http.HttpEdge;
import io.claimgate.gateway.http.ModelsEndpoint;
import io.claimgate.gateway.http.ReverseProxy;
import io.claimgate.gateway.limits.RateLimiter;
import io.claimgate.gateway.limits.redis.RedisRateLimits;
import io.claimgate.gateway.management.ManagementApi;
import io.claimgate.gateway.management.ObjectChangeListener;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.spend.Metering;
import io.claimgate.validator.Authenticator;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: forward-auth, reverse proxy, management API, health and metrics on one listener ({@link HttpEdge}).
 *
 * <p>Built from parts the caller owns: the {@link Authenticator} (the JWT pipeline), the {@link DataSource} with
 * LiteLLM's tables, readiness checks and metrics. The gateway adds the master key in front of the authenticator
 * (and, without {@code enable_jwt_auth}, accepts nothing else). {@link #close()} stops the listener and the upstream
 * client, writes the spend still pending and stops the budget reset job, not the parts passed in.
 *
 * <p>With {@code gateway.spend_tracking} on (the default), an upstream and a database, forwarded requests are
 * rate-limited and their spend recorded in the database ({@link Metering}).
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewayConfig config;
    private final HttpEdge edge;
    private final ReadinessMonitor readiness;
    private final Metering metering;
    private final RedisRateLimits sharedLimits;

    /**
     * @param config          the configuration read from {@code config.yaml}
     * @param authenticator   the JWT authenticator ({@code ProxyAuthenticator}), or {@code null} when JWT auth is off
     * @param dataSource      the database the management API writes
     * @param changes         told after each management change, to invalidate caches
     * @param readinessChecks what {@code /health/readiness} asks, e.g. the database and the key source
     * @param metrics         where requests are counted; also holds the integrator's gauges and binders
     */
    public GatewayServer(GatewayConfig config, Authenticator authenticator, DataSource dataSource,
                         ObjectChangeListener changes, List<ReadinessCheck> readinessChecks, GatewayMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        // Whether JWT auth is on was decided where the pipeline is built: without one, only the master key works.
        Authenticator jwt = authenticator != null ? authenticator : MasterKeyAuthenticator.jwtDisabled();
        Authenticator effective = config.masterKey() == null ? jwt
                : new MasterKeyAuthenticator(config.masterKey(), jwt);
        GatewaySettings settings = config.gateway();

        this.edge = new HttpEdge(settings, config.jwtAuth().token().maxTokenLength());
        boolean metered = settings.spend().enabled() && settings.upstream() != null && dataSource != null;
        // With a Redis, the replicas count their rate limits together; without one, each counts alone.
        this.sharedLimits = metered && settings.spend().redis() != null
                ? RedisRateLimits.start(settings.spend().redis()) : null;
        this.metering = metered ? Metering.start(dataSource, settings.spend(),
                sharedLimits == null ? RateLimiter.withDefaults() : sharedLimits.limiter()) : null;
        if (sharedLimits != null) {
            sharedLimits.registerMetrics(metrics);
        }
        ObjectChangeListener announced = changes == null ? ObjectChangeListener.NONE : changes;
        if (metering != null) {
            metering.register(metrics);
            announced = new LimitsForgetting(announced, metering);
        }
        BearerToken credentials = BearerToken.reading(config.litellmKeyHeaderName());
        BodyReader bodies = new BodyReader(settings.bodyReads(), settings.maxRequestBodyBytes());
        ReverseProxy proxy = new ReverseProxy(effective, settings, metering, credentials, bodies, edge.workers(),
                edge.channelType());
        ManagementApi management = new ManagementApi(dataSource, announced, settings.maxRequestBodyBytes());
        this.readiness = new ReadinessMonitor(readinessChecks);
        edge.serve(new GatewayHandler(effective, proxy,
                new ModelsEndpoint(effective, config.modelCatalogue(), credentials), management, readiness,
                settings.forwardAuthRoute(), metrics, credentials, bodies, edge.workers()));
    }

    /**
     * Starts listening.
     *
     * @throws IllegalStateException when the port cannot be bound or the server fails to start
     */
    public GatewayServer start() {
        try {
            edge.start();
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("gateway failed to start on " + config.gateway().host() + ":"
                    + config.gateway().port() + ": " + e.getMessage(), e);
        }
        LOG.info("gateway listening on {}, upstream {}", uri(), config.gateway().upstreamForLog());
        return this;
    }

    /** Drops the remembered rate limits: another replica or system changed a team, user, member or budget. */
    public void forgetCachedLimits() {
        if (metering != null) {
            metering.forgetLimits();
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return edge.port();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:4000}. */
    public URI uri() {
        return URI.create("http://" + config.gateway().host() + ":" + port());
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        edge.join();
    }

    @Override
    public void close() {
        edge.close();
        readiness.close();
        if (metering != null) {
            // After the listener stopped: every answered request has been recorded, and is now written.
            metering.close();
        }
        if (sharedLimits != null) {
            sharedLimits.close();
        }
    }

    /** Tells the integrator's listener of a change, and drops the remembered rate limits with it. */
    private record LimitsForgetting(ObjectChangeListener next, Metering metering) implements ObjectChangeListener {

        @Override
        public void teamChanged(String teamId) {
            metering.forgetLimits();
            next.teamChanged(teamId);
        }

        @Override
        public void userChanged(String userId) {
            metering.forgetLimits();
            next.userChanged(userId);
        }

        @Override
        public void organizationChanged(String organizationId) {
            metering.forgetLimits();
            next.organizationChanged(organizationId);
        }

        @Override
        public void endUserChanged(String endUserId) {
            metering.forgetLimits();
            next.endUserChanged(endUserId);
        }
    }
}
