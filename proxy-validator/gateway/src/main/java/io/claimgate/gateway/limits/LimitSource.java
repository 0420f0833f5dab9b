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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The limits that apply to a request, read from LiteLLM's tables: {@code rpm_limit}, {@code tpm_limit} and
 * {@code max_parallel_requests} of the team and the user (their own columns), of the team member and the end user
 * (their {@code LiteLLM_BudgetTable} row, through {@code budget_id}).
 *
 * <p>One query per (team, user, end user) and then remembered for as long as the directory remembers the objects
 * (60 s), so the request path reads a map. A change announced by the management API or a change notice drops
 * everything remembered ({@link #forgetAll()}): limits are few and cheap to read again. A lookup that raced a
 * change is not remembered, so the change is never hidden by it.
 */
public final class LimitSource {

    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

    private static final String QUERY = """
            SELECT 0, "rpm_limit", "tpm_limit", "max_parallel_requests" FROM "LiteLLM_TeamTable" WHERE "team_id" = ?
            UNION ALL
            SELECT 1, "rpm_limit", "tpm_limit", "max_parallel_requests" FROM "LiteLLM_UserTable" WHERE "user_id" = ?
            UNION ALL
            SELECT 2, b."rpm_limit", b."tpm_limit", b."max_parallel_requests" FROM "LiteLLM_TeamMembership" m
              JOIN "LiteLLM_BudgetTable" b ON b."budget_id" = m."budget_id" WHERE m."team_id" = ? AND m."user_id" = ?
            UNION ALL
            SELECT 3, b."rpm_limit", b."tpm_limit", b."max_parallel_requests" FROM "LiteLLM_EndUserTable" e
              JOIN "LiteLLM_BudgetTable" b ON b."budget_id" = e."budget_id" WHERE e."user_id" = ?
            """;

    private final DataSource dataSource;
    private final Cache<Subjects, List<RateLimit>> remembered;
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
        if (teamId == null && userId == null && endUserId == null) {
            return List.of();
        }
        Subjects key = new Subjects(teamId, userId, endUserId);
        List<RateLimit> known = remembered.getIfPresent(key);
        if (known != null) {
            return known;
        }
        // A miss queries the database: not on a thread that must not block, and before anything is counted.
        Blocking.check("a rate-limit lookup");
        long before = generation.get();
        List<RateLimit> read = read(key);
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

    private List<RateLimit> read(Subjects key) throws SQLException {
        List<RateLimit> limits = new ArrayList<>(4);
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
        return List.copyOf(limits);
    }

    private static Long nullable(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    private record Subjects(String teamId, String userId, String endUserId) {
    }
}
