package io.claimgate.gateway.spend;

import io.claimgate.gateway.config.SpendConfig;
import io.claimgate.gateway.limits.Admission;
import io.claimgate.gateway.limits.LimitMetrics;
import io.claimgate.gateway.limits.LimitSource;
import io.claimgate.gateway.limits.Permit;
import io.claimgate.gateway.limits.RateLimiter;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.model.AuthResult;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Rate limits and spend for the reverse proxy: admits a request against its team's, user's, member's and end user's
 * limits, and meters its answer ({@link MeteredAnswer}) into the {@link SpendLedger}.
 *
 * <p>Owns the ledger's flush schedule and the budget reset job: {@link #start} starts both, {@link #close()} writes
 * what is pending and stops them (call it after the server stopped taking requests).
 */
public final class Metering implements AutoCloseable {

    private static final int MODEL_NAMES = 1_000;
    /** Longer names are not shared: a thousand of them must not hold more than a little memory for good. */
    private static final int MODEL_NAME_LENGTH = 256;

    private final SpendConfig config;
    private final RateLimiter limiter;
    private final LimitSource limits;
    private final CostCalculator costs;
    private final SpendLedger ledger;
    private final BudgetReset budgetReset;
    private final RequestIds requestIds = new RequestIds();
    private final ConcurrentHashMap<String, String> modelNames = new ConcurrentHashMap<>();

    Metering(SpendConfig config, RateLimiter limiter, LimitSource limits, SpendLedger ledger,
             BudgetReset budgetReset) {
        this.config = Objects.requireNonNull(config, "config");
        this.limiter = limiter;
        this.limits = limits;
        this.costs = new CostCalculator(config.prices());
        this.ledger = ledger;
        this.budgetReset = budgetReset;
    }

    /** Starts the ledger's flushes and the budget reset job against {@code dataSource}; limits counted in memory. */
    public static Metering start(DataSource dataSource, SpendConfig config) {
        return start(dataSource, config, RateLimiter.withDefaults());
    }

    /**
     * As {@link #start(DataSource, SpendConfig)}, counting limits with {@code limiter} (e.g. the one replicas share
     * through Redis).
     */
    public static Metering start(DataSource dataSource, SpendConfig config, RateLimiter limiter) {
        SpendLedger ledger = SpendLedger.start(dataSource,
                SpendSettings.defaults().withFlushInterval(config.flushInterval()).withSpendLogs(config.spendLogs()));
        BudgetReset reset = BudgetReset.start(dataSource, BudgetReset.DEFAULT_INTERVAL, ZoneOffset.UTC);
        return new Metering(config, Objects.requireNonNull(limiter, "limiter"),
                new LimitSource(dataSource, LimitSource.DEFAULT_TTL), ledger, reset);
    }

    /** Adds the spend and rate-limit metrics. */
    public void register(GatewayMetrics metrics) {
        SpendMetrics.register(metrics, costs, ledger);
        LimitMetrics.register(metrics, limiter);
    }

    /**
     * Counts the request against the limits of its team, user, team member and end user.
     *
     * @throws SQLException when the limits cannot be read: the request is refused, never let through unchecked
     */
    public Admission admit(AuthResult caller) throws SQLException {
        return admit(caller, null);
    }

    /**
     * Counts the request against the limits of its team, user, team member and end user, and against its team's limit
     * of {@code model} ({@code metadata.model_rpm_limit} / {@code model_tpm_limit}) when the team limits it.
     *
     * @param model the model the request names (the first one it was authorised for), or {@code null}
     * @throws SQLException when the limits cannot be read: the request is refused, never let through unchecked
     */
    public Admission admit(AuthResult caller, String model) throws SQLException {
        return limiter.admit(limits.limitsOf(caller.teamId(), caller.userId(), caller.endUserId(), model));
    }

    /**
     * The body to forward: a streamed chat completion that does not ask for its usage is asked for it when
     * {@code gateway.stream_usage} is on; every other body is returned as it is.
     */
    public byte[] requestBody(String route, byte[] body) {
        if (!config.streamUsage() || !CallType.asksForStreamUsage(route) || !mentionsStream(body)) {
            return body;
        }
        return StreamUsageRequest.withUsageRequested(body);
    }

    /** The meter of one admitted request's answer; {@code model} is the model the request names, or {@code null}. */
    public MeteredAnswer answer(Permit permit, AuthResult caller, String route, String model) {
        return new MeteredAnswer(this, permit, caller, CallType.of(route), model);
    }

    /** Drops the remembered limits, after a team, user, member, end user or budget changed. */
    public void forgetLimits() {
        limits.forgetAll();
    }

    /** The ledger, for tests that flush it. */
    public SpendLedger ledger() {
        return ledger;
    }

    RequestIds requestIds() {
        return requestIds;
    }

    /**
     * One shared instance of a model's name, so that the records waiting for a flush do not each hold a copy read
     * from their request's body. Bounded: past {@value #MODEL_NAMES} names, or for a name longer than
     * {@value #MODEL_NAME_LENGTH} characters (a proxy admin may name anything), a name is kept as it came.
     */
    String modelName(String model) {
        if (model == null || model.length() > MODEL_NAME_LENGTH) {
            return model;
        }
        String known = modelNames.get(model);
        if (known != null) {
            return known;
        }
        if (modelNames.size() < MODEL_NAMES) {
            known = modelNames.putIfAbsent(model, model);
        }
        return known == null ? model : known;
    }

    CostCalculator costs() {
        return costs;
    }

    long count(Usage usage) {
        return config.tokenCounting().count(usage);
    }

    @Override
    public void close() {
        budgetReset.close();
        ledger.close();
    }

    /** Bodies that do not contain {@code "stream"} are not parsed a second time: the common, non-streamed case. */
    private static boolean mentionsStream(byte[] body) {
        outer:
        for (int i = 0; i + 8 <= body.length; i++) {
            if (body[i] != '"') {
                continue;
            }
            for (int j = 0; j < 6; j++) {
                if (body[i + 1 + j] != "stream".charAt(j)) {
                    continue outer;
                }
            }
            if (body[i + 7] == '"') {
                return true;
            }
        }
        return false;
    }
}
