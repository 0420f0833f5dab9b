package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.Budget;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.AuthException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PostgresDirectoryIT {

    private static String jdbcUrl;
    private static Database database;
    private static PostgresDirectory directory;

    @BeforeAll
    static void startDatabase() {
        jdbcUrl = TestPostgres.freshDatabase();
        // A generous wait for a connection: fifty concurrent requests share ten connections on a busy build machine.
        database = Database.open(DatabaseSettings.of(jdbcUrl).withConnectionTimeout(Duration.ofSeconds(10)));
        directory = new PostgresDirectory(database.dataSource());
        TestPostgres.execute(jdbcUrl,
                "INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, max_budget, soft_budget, created_by, updated_by)"
                        + " VALUES ('budget-org', 100.0, 80.0, 'admin', 'admin'), ('budget-eu', 5.0, NULL, 'admin', 'admin')",
                "INSERT INTO \"LiteLLM_OrganizationTable\" (organization_id, organization_alias, budget_id, models, spend,"
                        + " created_by, updated_by) VALUES ('org-1', 'Research', 'budget-org', '{gpt-4o,claude}', 12.5,"
                        + " 'admin', 'admin')",
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias, organization_id, models, max_budget, spend,"
                        + " blocked, metadata, created_at) VALUES"
                        + " ('team-eng', 'engineering', 'org-1', '{gpt-4o}', 50.0, 7.25, false,"
                        + " '{\"owner\": \"ann\", \"tier\": 2, \"unset\": null, \"tags\": [\"a\", \"b\"]}', '2026-01-01'),"
                        + " ('team-eng-later', 'engineering', NULL, NULL, NULL, 0, true, '{}', '2026-02-01'),"
                        + " ('team-bare', NULL, NULL, NULL, NULL, 0, false, '{}', '2026-01-01')",
                "INSERT INTO \"LiteLLM_UserTable\" (user_id, user_email, sso_user_id, user_role, organization_id, teams,"
                        + " models, max_budget, spend) VALUES"
                        + " ('alice', 'Alice@Example.com', 'kc-sub-alice', 'internal_user', 'org-1', '{team-eng}',"
                        + " '{gpt-4o}', 20.0, 1.5),"
                        + " ('bob', 'bob@example.com', NULL, 'superuser', NULL, NULL, NULL, NULL, 0),"
                        + " ('kc-sub-alice-as-id', 'other@example.com', NULL, 'proxy_admin', NULL, '{}', '{}', NULL, 0)",
                "INSERT INTO \"LiteLLM_EndUserTable\" (user_id, alias, spend, budget_id, blocked) VALUES"
                        + " ('customer-1', 'Acme', 6.0, 'budget-eu', false), ('customer-2', NULL, 0, NULL, true)");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Nested
    class Teams {

        @Test
        void findsATeamByIdWithModelsBudgetAndMetadata() {
            Team team = directory.team("team-eng").orElseThrow();

            assertThat(team.teamAlias()).isEqualTo("engineering");
            assertThat(team.organizationId()).isEqualTo("org-1");
            assertThat(team.models()).containsExactly("gpt-4o");
            assertThat(team.maxBudget()).isEqualTo(50.0);
            assertThat(team.spend()).isEqualTo(7.25);
            assertThat(team.blocked()).isFalse();
            assertThat(team.metadata()).containsEntry("owner", "ann").containsEntry("tier", 2)
                    .containsEntry("tags", List.of("a", "b")).doesNotContainKey("unset");
        }

        @Test
        void readsNullModelsAndBudgetAsAllModelsAndNoCeiling() {
            Team team = directory.team("team-bare").orElseThrow();

            assertThat(team.models()).isEmpty();
            assertThat(team.maxBudget()).isNull();
            assertThat(team.teamAlias()).isNull();
        }

        // Mirrors LiteLLM get_team_object_by_alias: an alias several teams share names none of them (400).
        @Test
        void refusesAnAliasSeveralTeamsShare() {
            assertThatThrownBy(() -> directory.teamByAlias("engineering"))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.reason()).isEqualTo("team_alias_ambiguous");
                        assertThat(e.getMessage()).isEqualTo("Multiple teams found with alias 'engineering'. Please "
                                + "use team_id_jwt_field instead or ensure team aliases are unique.");
                    });
        }

        @Test
        void findsNothingForAnUnknownIdOrAlias() {
            assertThat(directory.team("team-none")).isEmpty();
            assertThat(directory.teamByAlias("nobody")).isEmpty();
        }

        @Test
        void readsABlockedTeam() {
            assertThat(directory.team("team-eng-later")).map(Team::blocked).contains(true);
        }
    }

    @Nested
    class Users {

        @Test
        void findsAUserById() {
            User user = directory.user("alice", null).orElseThrow();

            assertThat(user.userEmail()).isEqualTo("Alice@Example.com");
            assertThat(user.ssoUserId()).isEqualTo("kc-sub-alice");
            assertThat(user.userRole()).isEqualTo(ProxyRole.INTERNAL_USER);
            assertThat(user.organizationId()).isEqualTo("org-1");
            assertThat(user.teams()).containsExactly("team-eng");
            assertThat(user.models()).containsExactly("gpt-4o");
            assertThat(user.maxBudget()).isEqualTo(20.0);
            assertThat(user.spend()).isEqualTo(1.5);
        }

        @Test
        void findsAUserByTheIdentityProvidersSubject() {
            assertThat(directory.user("kc-sub-alice", null)).map(User::userId).contains("alice");
        }

        @Test
        void prefersTheUserIdOverTheSubjectAndTheSubjectOverTheEmail() {
            assertThat(directory.user("kc-sub-alice-as-id", "alice@example.com")).map(User::userId)
                    .contains("kc-sub-alice-as-id");
            assertThat(directory.user("kc-sub-alice", "bob@example.com")).map(User::userId).contains("alice");
        }

        @Test
        void findsAUserByEmailIgnoringCase() {
            assertThat(directory.user(null, "ALICE@example.COM")).map(User::userId).contains("alice");
            assertThat(directory.user("unknown-id", "alice@example.com")).map(User::userId).contains("alice");
        }

        @Test
        void takesTheOldestUserWhenSeveralShareAnEmail() {
            TestPostgres.execute(jdbcUrl, "INSERT INTO \"LiteLLM_UserTable\" (user_id, user_email, created_at) VALUES"
                    + " ('erin-new', 'Erin@example.com', '2026-03-01'), ('erin-old', 'erin@example.com', '2026-01-01')");

            assertThat(directory.user(null, "ERIN@example.com")).map(User::userId).contains("erin-old");
        }

        @Test
        void readsAnUnknownStoredRoleAsNoRole() {
            User bob = directory.user("bob", null).orElseThrow();

            assertThat(bob.userRole()).isNull();
            assertThat(bob.teams()).isEmpty();
            assertThat(bob.maxBudget()).isNull();
        }

        @Test
        void findsNothingForAnUnknownUserOrNoNameAtAll() {
            assertThat(directory.user("nobody", "nobody@example.com")).isEmpty();
            assertThat(directory.user(null, null)).isEmpty();
        }
    }

    @Nested
    class UserCreation {

        @Test
        void createsAMissingUserWithEmailAndRole() {
            User created = directory.createUserIfAbsent("carol", "carol@example.com", ProxyRole.INTERNAL_USER);

            assertThat(created.userId()).isEqualTo("carol");
            assertThat(created.userEmail()).isEqualTo("carol@example.com");
            assertThat(created.userRole()).isEqualTo(ProxyRole.INTERNAL_USER);
            assertThat(created.spend()).isZero();
            assertThat(directory.user("carol", null)).contains(created);
        }

        @Test
        void returnsTheStoredUserWithoutChangingItWhenItExists() {
            User existing = directory.user("alice", null).orElseThrow();

            User returned = directory.createUserIfAbsent("alice", "new@example.com", ProxyRole.PROXY_ADMIN);

            assertThat(returned).isEqualTo(existing);
        }

        @Test
        void createsOneRowForFiftyConcurrentFirstRequests() throws Exception {
            int requests = 50;
            ExecutorService pool = Executors.newFixedThreadPool(requests);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<User>> results = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return directory.createUserIfAbsent("dave", "dave@example.com", ProxyRole.INTERNAL_USER);
                    }));
                }
                start.countDown();

                List<User> users = new ArrayList<>();
                for (Future<User> result : results) {
                    users.add(result.get());
                }

                assertThat(users).hasSize(requests).allSatisfy(user -> assertThat(user).isEqualTo(users.get(0)));
                assertThat(users.get(0).userId()).isEqualTo("dave");
                assertThat(countRows("SELECT count(*) FROM \"LiteLLM_UserTable\" WHERE user_id = 'dave'")).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class OrganizationsAndEndUsers {

        @Test
        void findsAnOrganizationWithItsBudget() {
            var organization = directory.organization("org-1").orElseThrow();

            assertThat(organization.organizationAlias()).isEqualTo("Research");
            assertThat(organization.models()).containsExactly("gpt-4o", "claude");
            assertThat(organization.spend()).isEqualTo(12.5);
            assertThat(organization.budget()).isEqualTo(new Budget("budget-org", 100.0, 80.0));
        }

        @Test
        void findsAnEndUserWithItsBudget() {
            var endUser = directory.endUser("customer-1").orElseThrow();

            assertThat(endUser.alias()).isEqualTo("Acme");
            assertThat(endUser.spend()).isEqualTo(6.0);
            assertThat(endUser.blocked()).isFalse();
            assertThat(endUser.budget()).isEqualTo(new Budget("budget-eu", 5.0, null));
        }

        @Test
        void readsAnEndUserWithoutBudget() {
            var endUser = directory.endUser("customer-2").orElseThrow();

            assertThat(endUser.budget()).isNull();
            assertThat(endUser.blocked()).isTrue();
        }

        @Test
        void findsNothingForUnknownIds() {
            assertThat(directory.organization("org-none")).isEmpty();
            assertThat(directory.endUser("customer-none")).isEmpty();
        }
    }

    @Nested
    class BrokenRows {

        @Test
        void refusesWith503WhenMetadataIsNotAJsonObjectAndShowsNoSql() {
            TestPostgres.execute(jdbcUrl, "INSERT INTO \"LiteLLM_TeamTable\" (team_id, metadata)"
                    + " VALUES ('team-bad-metadata', '[1, 2]')");

            assertThatThrownBy(() -> directory.team("team-bad-metadata"))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.reason()).isEqualTo("database_error");
                        assertThat(e.getMessage()).doesNotContainIgnoringCase("select").doesNotContain("metadata");
                    });
        }
    }

    private static long countRows(String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
