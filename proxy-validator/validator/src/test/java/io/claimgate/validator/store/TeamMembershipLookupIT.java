package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.claimgate.model.Budget;
import io.claimgate.model.TeamMembership;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LiteLLM's {@code get_team_membership}: the membership and its budget row, read and remembered. */
class TeamMembershipLookupIT {

    private static String jdbcUrl;
    private static Database database;

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker clock = nanos::get;
    private CountingDataSource counting;
    private CachedDirectory directory;

    @BeforeAll
    static void startDatabase() {
        jdbcUrl = TestPostgres.freshDatabase();
        database = Database.open(jdbcUrl);
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void freshCacheAndRows() {
        TestPostgres.execute(jdbcUrl,
                "TRUNCATE \"LiteLLM_TeamMembership\", \"LiteLLM_BudgetTable\" CASCADE",
                "INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, max_budget, soft_budget, created_by, updated_by)"
                        + " VALUES ('b-alice', 10, 8, 'a', 'a')",
                "INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend, budget_id) VALUES"
                        + " ('alice', 'eng', 2.5, 'b-alice'), ('bob', 'eng', 1, NULL), ('carol', 'eng', 0, 'b-gone')");
        counting = new CountingDataSource(database.dataSource());
        directory = new CachedDirectory(new PostgresDirectory(counting), CacheSettings.defaults(), clock);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void readsTheMembershipWithItsBudgetRow() {
        assertThat(directory.membership("eng", "alice"))
                .contains(new TeamMembership("eng", "alice", 2.5, new Budget("b-alice", 10.0, 8.0)));
    }

    @Test
    void readsAMembershipWithoutABudgetOrWithAMissingBudgetRowAsOneWithoutMaximum() {
        assertThat(directory.membership("eng", "bob")).hasValueSatisfying(m -> assertThat(m.maxBudget()).isNull());
        assertThat(directory.membership("eng", "carol")).hasValueSatisfying(m -> assertThat(m.maxBudget()).isNull());
    }

    @Test
    void remembersThatAUserHasNoMembershipAsLongAsAFoundObject() {
        for (int i = 0; i < 100; i++) {
            assertThat(directory.membership("eng", "dave")).isEmpty();
        }
        advance(Duration.ofSeconds(59));
        directory.membership("eng", "dave");
        assertThat(counting.statements()).isEqualTo(1);

        advance(Duration.ofSeconds(2));
        directory.membership("eng", "dave");
        assertThat(counting.statements()).isEqualTo(2);
    }

    @Test
    void forgetsAUsersMembershipsWhenTheUserTheTeamOrEverythingChanges() {
        directory.membership("eng", "alice");
        TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_TeamMembership\" SET spend = 20 WHERE user_id = 'alice'");

        directory.invalidateUser("alice");
        assertThat(directory.membership("eng", "alice")).map(TeamMembership::spend).contains(20.0);

        TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_TeamMembership\" SET spend = 30 WHERE user_id = 'alice'");
        directory.invalidateTeam("eng");
        assertThat(directory.membership("eng", "alice")).map(TeamMembership::spend).contains(30.0);

        TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_BudgetTable\" SET max_budget = 1 WHERE budget_id = 'b-alice'");
        directory.invalidateAll();
        assertThat(directory.membership("eng", "alice")).map(TeamMembership::maxBudget).contains(1.0);
    }

    @Test
    void keepsAnotherUsersMembershipWhenOneUserChanges() {
        directory.membership("eng", "bob");

        directory.invalidateUser("alice");
        directory.membership("eng", "bob");

        assertThat(counting.statements()).isEqualTo(1);
        assertThat(directory.stats().get("team_membership").hitCount()).isEqualTo(1);
    }
}
