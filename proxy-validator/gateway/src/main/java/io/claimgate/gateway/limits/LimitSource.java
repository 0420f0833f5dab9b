package io.claimgate.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.claimgate.validator.Blocking;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits that apply to a request, read from LiteLLM's tables: {@code rpm_limit}, {@code tpm_limit} and
 * {@code max_parallel_requests} of the team and the user (their own columns), of the team member and the end user
 * (their {@code LiteLLM_BudgetTable} row, through {@code budget_id}); and the team's per-model limits
 * ({@code metadata.model_rpm_limit} / {@code model_tpm_limit}, see {@link ModelLimits}) for the model the request
 * names.
 *
 * <p>One query per (team, user, end user) and then remembered for as long as the directory remembers the objects
 * (60 s), so the request path reads a map. A change announced by the management API or a change notice drops
 * everything remembered ({@link #forgetAll()}): limits are few and cheap to read again. A lookup that raced a
 * change is not remembered, so the change is never hidden by it.
 */
public final class LimitSource {

    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(LimitSource.class);

    private static final String QUERY = """
            SELECT 0, "rpm_limit", "tpm_limit", "max_parallel_requests",
                   ("metadata"->'model_rpm_limit')::text, ("metadata"->'model_tpm_limit')::text
              FROM "LiteLLM_TeamTable" WHERE "team_id" = ?
            UNION ALL
            SELECT 1, "rpm_limit", "tpm_limit", "max_parallel_requests", NULL, NULL
              FROM "LiteLLM_UserTable" WHERE "user_id" = ?
            UNION ALL
            SELECT 2, b."rpm_limit", b."tpm_limit", b."max_parallel_requests", NULL, NULL
              FROM "LiteLLM_TeamMembership" m
              JOIN "LiteLLM_BudgetTable" b ON b."budget_id" = m."budget_id" WHERE m."team_id" = ? AND m."user_id" = ?
            UNION ALL
            SELECT 3, b."rpm_limit", b."tpm_limit", b."max_parallel_requests", NULL, NULL FROM "LiteLLM_EndUserTable" e
              JOIN "LiteLLM_BudgetTable" b ON b."budget_id" = e."budget_id" WHERE e."user_id" = ?
            """;

    private final DataSource dataSource;
    private final Cache<Subjects, Known> remembered;
    /** Grows with every {@link #forgetAll()}: a lookup that started before one is not remembered. */
    private final AtomicLong generation = new AtomicLong();

    public LimitSource(DataSource dataSource, Duration ttl) {
        this.dataSource = dataSource;
        this.remembered = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl)
                .executor(Runnable::run).build();
    }

    /**
     * The limits of this request's subjects, each subject once; empty when none of them is limited.
     *
     * @throws SQLException when the database cannot be read (the caller refuses the request: limits fail closed)
     */
    public List<RateLimit> limitsOf(String teamId, String userId, String endUserId) throws SQLException {
        return limitsOf(teamId, userId, endUserId, null);
    }

    /**
     * As {@link #limitsOf(String, String, String)}, and last the team's limit of {@code model} (LiteLLM's
     * {@code model_per_team}) when the team limits that model.
     *
     * @param model the model the request names, or {@code null} when it names none
     * @throws SQLException when the database cannot be read (the caller refuses the request: limits fail closed)
     */
    public List<RateLimit> limitsOf(String teamId, String userId, String endUserId, String model)
            throws SQLException {
        if (teamId == null && userId == null && endUserId == null) {
            return List.of();
        }
        Known known = known(new Subjects(teamId, userId, endUserId));
        RateLimit perModel = model == null ? null : known.teamModels().limitOf(teamId, model);
        if (perModel == null) {
            return known.limits();
        }
        RateLimit[] withModel = known.limits().toArray(new RateLimit[known.limits().size() + 1]);
        withModel[withModel.length - 1] = perModel;
        return Arrays.asList(withModel);
    }

    private Known known(Subjects key) throws SQLException {
        Known known = remembered.getIfPresent(key);
        if (known != null) {
            return known;
        }
        // A miss queries the database: not on a thread that must not block, and before anything is counted.
        Blocking.check("a rate-limit lookup");
        long before = generation.get();
        Known read = read(key);
        if (generation.get() == before) {
            remembered.put(key, read);
        }
        return read;
    }

    /** Drops every remembered limit, after a change whose reach is not worth working out. */
    public void forgetAll() {
        generation.incrementAndGet();
        remembered.invalidateAll();
    }

    private Known read(Subjects key) throws SQLException {
        List<RateLimit> limits = new ArrayList<>(4);
        ModelLimits teamModels = ModelLimits.NONE;
        // No connection is held across anything but this query.
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, key.teamId());
            statement.setString(2, key.userId());
            statement.setString(3, key.teamId());
            statement.setString(4, key.userId());
            statement.setString(5, key.endUserId());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Long rpm = nullable(rows, 2);
                    Long tpm = nullable(rows, 3);
                    Long parallel = nullable(rows, 4);
                    if (rows.getInt(1) == 0) {
                        teamModels = teamModels(key.teamId(), rows.getString(5), rows.getString(6));
                    }
                    if (rpm == null && tpm == null && parallel == null) {
                        continue;
                    }
                    limits.add(switch (rows.getInt(1)) {
                        case 0 -> new RateLimit(LimitScope.TEAM, key.teamId(), rpm, tpm, parallel);
                        case 1 -> new RateLimit(LimitScope.USER, key.userId(), rpm, tpm, parallel);
                        case 2 -> RateLimit.teamMember(key.teamId(), key.userId(), rpm, tpm, parallel);
                        default -> new RateLimit(LimitScope.END_USER, key.endUserId(), rpm, tpm, parallel);
                    });
                }
            }
        }
        return new Known(List.copyOf(limits), teamModels);
    }

    private static ModelLimits teamModels(String teamId, String modelRpmLimit, String modelTpmLimit) {
        ModelLimits models = ModelLimits.fromMetadata(modelRpmLimit, modelTpmLimit);
        if (models.hasUnreadableLimits()) {
            // The team id only: metadata may hold anything, and the operator knows where to look.
            LOG.warn("Team {} has a metadata.model_rpm_limit or model_tpm_limit that is not a map of model names to "
                    + "whole numbers: the models it cannot be read for are limited to 0", teamId);
        }
        return models;
    }

    private static Long nullable(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    private record Subjects(String teamId, String userId, String endUserId) {
    }

    /** What is remembered of one request's subjects: their own limits, and the team's per-model limits. */
    private record Known(List<RateLimit> limits, ModelLimits teamModels) {
    }
}
