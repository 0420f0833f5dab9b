package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.AuthException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CachedDirectoryIT {

    private static String jdbcUrl;
    private static Database database;

    private final FakeTicker clock = new FakeTicker();
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
                "TRUNCATE \"LiteLLM_TeamTable\", \"LiteLLM_UserTable\", \"LiteLLM_EndUserTable\","
                        + " \"LiteLLM_OrganizationTable\", \"LiteLLM_BudgetTable\"",
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias, blocked) VALUES ('team-1', 'one', false)",
                "INSERT INTO \"LiteLLM_UserTable\" (user_id, user_email) VALUES ('alice', 'alice@example.com')",
                "INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, max_budget, created_by, updated_by)"
                        + " VALUES ('b', 10, 'a', 'a')",
                "INSERT INTO \"LiteLLM_OrganizationTable\" (organization_id, organization_alias, budget_id, created_by,"
                        + " updated_by) VALUES ('org-1', 'Org', 'b', 'a', 'a')",
                "INSERT INTO \"LiteLLM_EndUserTable\" (user_id, budget_id) VALUES ('customer-1', 'b')");
        counting = new CountingDataSource(database.dataSource());
        directory = new CachedDirectory(new PostgresDirectory(counting), CacheSettings.defaults(), clock);
    }

    @Nested
    class ServingFromMemory {

        @Test
        void answersARepeatedLookupWithoutQueryingAgain() {
            Team first = directory.team("team-1").orElseThrow();

            Team second = directory.team("team-1").orElseThrow();

            assertThat(second).isEqualTo(first);
            assertThat(counting.statements()).isEqualTo(1);
            assertThat(directory.stats().get("team").hitCount()).isEqualTo(1);
            assertThat(directory.stats().get("team").missCount()).isEqualTo(1);
        }

        @Test
        void servesEveryKindOfObjectFromMemory() {
            for (int i = 0; i < 3; i++) {
                assertThat(directory.teamByAlias("one")).isPresent();
                assertThat(directory.user("alice", null)).isPresent();
                assertThat(directory.organization("org-1")).isPresent();
                assertThat(directory.endUser("customer-1")).isPresent();
            }

            assertThat(counting.statements()).isEqualTo(4);
        }

        @Test
        void keepsAFoundObjectForSixtySeconds() {
            directory.team("team-1");
            rename("team-1", "renamed");

            clock.advance(Duration.ofSeconds(59));
            assertThat(directory.team("team-1")).map(Team::teamAlias).contains("one");

            clock.advance(Duration.ofSeconds(2));
            assertThat(directory.team("team-1")).map(Team::teamAlias).contains("renamed");
        }
    }

    @Nested
    class NegativeLookups {

        @Test
        void queryAnUnknownIdOnceInFiveSeconds() {
            for (int i = 0; i < 100; i++) {
                assertThat(directory.team("team-unknown")).isEmpty();
            }
            assertThat(counting.statements()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(5));
            directory.team("team-unknown");

            assertThat(counting.statements()).isEqualTo(2);
        }

        @Test
        void noticeANewObjectAfterFiveSecondsWithoutInvalidation() {
            assertThat(directory.endUser("customer-new")).isEmpty();
            TestPostgres.execute(jdbcUrl, "INSERT INTO \"LiteLLM_EndUserTable\" (user_id) VALUES ('customer-new')");

            clock.advance(Duration.ofSeconds(6));

            assertThat(directory.endUser("customer-new")).isPresent();
        }
    }

    @Nested
    class Invalidation {

        @Test
        void makesATeamChangeVisibleAtOnceByIdAndByAlias() {
            directory.team("team-1");
            directory.teamByAlias("one");
            TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_TeamTable\" SET blocked = true WHERE team_id = 'team-1'");

            directory.invalidateTeam("team-1");

            assertThat(directory.team("team-1")).map(Team::blocked).contains(true);
            assertThat(directory.teamByAlias("one")).map(Team::blocked).contains(true);
        }

        @Test
        void makesANewTeamAliasFoundAtOnce() {
            assertThat(directory.teamByAlias("two")).isEmpty();
            TestPostgres.execute(jdbcUrl, "INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias) VALUES ('team-2', 'two')");

            directory.invalidateTeam("team-2");

            assertThat(directory.teamByAlias("two")).map(Team::teamId).contains("team-2");
        }

        @Test
        void makesAUserChangeVisibleWhicheverNameItWasFoundBy() {
            directory.user("alice", null);
            directory.user(null, "alice@example.com");
            TestPostgres.execute(jdbcUrl,
                    "UPDATE \"LiteLLM_UserTable\" SET user_role = 'proxy_admin' WHERE user_id = 'alice'");

            directory.invalidateUser("alice");

            assertThat(directory.user("alice", null)).map(User::userRole).contains(ProxyRole.PROXY_ADMIN);
            assertThat(directory.user(null, "alice@example.com")).map(User::userRole).contains(ProxyRole.PROXY_ADMIN);
        }

        @Test
        void findsAUserRightAfterCreatingItDespiteARememberedAbsence() {
            assertThat(directory.user("bob", "bob@example.com")).isEmpty();

            directory.createUserIfAbsent("bob", "bob@example.com", ProxyRole.INTERNAL_USER);

            assertThat(directory.user("bob", "bob@example.com")).map(User::userId).contains("bob");
        }

        @Test
        void makesOrganizationAndEndUserBudgetsVisibleAtOnce() {
            directory.organization("org-1");
            directory.endUser("customer-1");
            TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_BudgetTable\" SET max_budget = 99 WHERE budget_id = 'b'");

            directory.invalidateOrganization("org-1");
            directory.invalidateEndUser("customer-1");

            assertThat(directory.organization("org-1").orElseThrow().budget().maxBudget()).isEqualTo(99.0);
            assertThat(directory.endUser("customer-1").orElseThrow().budget().maxBudget()).isEqualTo(99.0);
        }

        @Test
        void forgetsEverythingOnInvalidateAll() {
            directory.team("team-1");
            directory.user("alice", null);
            int before = counting.statements();

            directory.invalidateAll();
            directory.team("team-1");
            directory.user("alice", null);

            assertThat(counting.statements()).isEqualTo(before + 2);
        }
    }

    @Nested
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    class ConcurrentLookups {

        @Test
        void shareOneQueryForOneKey() throws Exception {
            counting.holdConnections();
            List<Thread> callers = startLookups(20, () -> directory.team("team-1").orElseThrow().teamId());

            counting.release(false);

            assertThat(results(callers)).hasSize(20).containsOnly("team-1");
            assertThat(counting.connections()).isEqualTo(1);
        }

        @Test
        void failTogetherAfterOneTimeoutWhileTheDatabaseIsDownAndTryAgainLater() throws Exception {
            counting.holdConnections();
            List<Thread> callers = startLookups(20, () -> {
                try {
                    return directory.team("team-1").toString();
                } catch (AuthException e) {
                    return e.status() + " " + e.reason();
                }
            });

            counting.release(true);

            assertThat(results(callers)).hasSize(20).containsOnly("503 database_unavailable");
            assertThat(counting.connections()).isEqualTo(1);
            counting.release(false);
            assertThat(directory.team("team-1")).isPresent();
        }

        private final Map<Thread, String> outcomes = new ConcurrentHashMap<>();

        /** Starts the callers and returns once all of them wait: one for a connection, the others for its outcome. */
        private List<Thread> startLookups(int count, Supplier<String> lookup) throws InterruptedException {
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Thread caller = new Thread(() -> outcomes.put(Thread.currentThread(), lookup.get()));
                caller.setDaemon(true);
                callers.add(caller);
                caller.start();
            }
            while (!callers.stream().allMatch(caller -> caller.getState() == Thread.State.WAITING)) {
                Thread.sleep(10);
            }
            return callers;
        }

        private List<String> results(List<Thread> callers) throws InterruptedException {
            for (Thread caller : callers) {
                caller.join();
            }
            return callers.stream().map(outcomes::get).toList();
        }
    }

    private static void rename(String teamId, String alias) {
        TestPostgres.execute(jdbcUrl,
                "UPDATE \"LiteLLM_TeamTable\" SET team_alias = '" + alias + "' WHERE team_id = '" + teamId + "'");
    }

    /** Caffeine's clock, moved by the test instead of by waiting. */
    private static final class FakeTicker implements Ticker {
        private final AtomicLong nanos = new AtomicLong();

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }
}
