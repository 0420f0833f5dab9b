package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.claimgate.model.AuthResult;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.store.CachedDirectory;
import io.claimgate.validator.store.ChangeNotice;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.NoticeEviction;
import io.claimgate.validator.store.PostgresDirectory;
import io.claimgate.validator.token.StaticKeySource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A team member's own budget ({@code LiteLLM_TeamMembership} and its {@code LiteLLM_BudgetTable} row), read from a
 * real PostgreSQL through the caching directory and enforced by the whole pipeline.
 */
class TeamMemberBudgetIT {

    private static final TokenMint MINT = new TokenMint("kc-members");

    private static EmbeddedPostgres postgres;
    private static Database database;
    private static CachedDirectory directory;
    private static ProxyAuthenticator auth;

    @BeforeAll
    static void start() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        database = Database.open(postgres.getJdbcUrl("postgres", "postgres"));
        sql("INSERT INTO \"LiteLLM_TeamTable\" (team_id, models) VALUES ('eng', ARRAY['gpt-4o-mini']),"
                + " ('ops', ARRAY['gpt-4o-mini'])");
        sql("INSERT INTO \"LiteLLM_UserTable\" (user_id, teams) VALUES ('alice', ARRAY['eng', 'ops']),"
                + " ('bob', ARRAY['eng'])");
        sql("INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, max_budget, created_by, updated_by) VALUES"
                + " ('b-alice-eng', 10.0, 'admin', 'admin'), ('b-bob-eng', 10.0, 'admin', 'admin')");
        sql("INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend, budget_id) VALUES"
                + " ('alice', 'eng', 12.5, 'b-alice-eng'), ('alice', 'ops', 50, NULL), ('bob', 'eng', 2, 'b-bob-eng')");

        JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(Map.of(
                        "team_id_jwt_field", "team_id",
                        "user_id_jwt_field", "sub"))
                .environment(Map.of(
                        "JWT_PUBLIC_KEY_URL", "https://keycloak.test/certs",
                        "JWT_ISSUER", TokenMint.ISSUER,
                        "JWT_AUDIENCE", TokenMint.AUDIENCE));
        directory = new CachedDirectory(new PostgresDirectory(database.dataSource()));
        auth = ProxyAuthenticator.builder(settings).directory(directory).keySource(StaticKeySource.of(MINT.publicKey())).build();
    }

    @AfterAll
    static void stop() throws IOException {
        if (auth != null) {
            auth.close();
        }
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement st = connection.createStatement()) {
            st.execute(statement);
        }
    }

    private static AuthResult call(String user, String team) {
        return auth.authenticate(AuthRequest.of(MINT.token(Map.of("sub", user, "team_id", team)),
                "/chat/completions", "gpt-4o-mini"));
    }

    @Test
    void refusesAMemberOverTheirBudgetInTheTeamWithLiteLlmsMessage() {
        AuthException e = catchThrowableOfType(AuthException.class, () -> call("alice", "eng"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.reason()).isEqualTo("budget_exceeded");
        assertThat(e.getMessage()).isEqualTo(
                "Budget has been exceeded! User=alice in Team=eng Current cost: 12.5, Max budget: 10.0");
    }

    @Test
    void letsTheSameUserActForAnotherTeamWhereTheirMembershipHasNoBudget() {
        assertThat(call("alice", "ops").teamId()).isEqualTo("ops");
    }

    @Test
    void letsAnotherMemberWithinTheirBudgetUseTheTeam() {
        assertThat(call("bob", "eng").userId()).isEqualTo("bob");
    }

    @Test
    void refusesAMemberAtOnceWhenTheirBudgetIsLoweredAndTheChangeIsAnnounced() throws SQLException {
        // given carol, within budget, and her membership remembered by the cache
        sql("INSERT INTO \"LiteLLM_UserTable\" (user_id, teams) VALUES ('carol', ARRAY['ops'])");
        sql("INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, max_budget, created_by, updated_by) VALUES"
                + " ('b-carol-ops', 10.0, 'admin', 'admin')");
        sql("INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend, budget_id) VALUES"
                + " ('carol', 'ops', 3, 'b-carol-ops')");
        call("carol", "ops");

        // when the budget is lowered below the spend and the membership change is announced for the user
        sql("UPDATE \"LiteLLM_BudgetTable\" SET max_budget = 1 WHERE budget_id = 'b-carol-ops'");
        directory.invalidateUser("carol");

        // then the next request is refused
        AuthException e = catchThrowableOfType(AuthException.class, () -> call("carol", "ops"));
        assertThat(e.getMessage()).isEqualTo(
                "Budget has been exceeded! User=carol in Team=ops Current cost: 3.0, Max budget: 1.0");
    }

    @Test
    void aMembershipNoticeFromAnotherReplicaOrTheTriggersDropsTheRememberedMembership() throws SQLException {
        // given dave's membership remembered within budget
        sql("INSERT INTO \"LiteLLM_UserTable\" (user_id, teams) VALUES ('dave', ARRAY['ops'])");
        sql("INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, max_budget, created_by, updated_by) VALUES"
                + " ('b-dave-ops', 10.0, 'admin', 'admin')");
        sql("INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend, budget_id) VALUES"
                + " ('dave', 'ops', 4, 'b-dave-ops')");
        call("dave", "ops");

        // when the spend passes the budget and the V3 trigger's notice arrives
        sql("UPDATE \"LiteLLM_TeamMembership\" SET spend = 11 WHERE user_id = 'dave'");
        new NoticeEviction(directory, List.of()).accept(ChangeNotice.parse("membership:ops:dave"));

        // then
        assertThat(catchThrowableOfType(AuthException.class, () -> call("dave", "ops")).reason())
                .isEqualTo("budget_exceeded");
    }

    @Test
    void aSpendNoticeHasTheRememberedMembershipReadAgainBeforeTheNextDecision() throws SQLException {
        // given frank's membership remembered within budget
        sql("INSERT INTO \"LiteLLM_UserTable\" (user_id, teams) VALUES ('frank', ARRAY['ops'])");
        sql("INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, max_budget, created_by, updated_by) VALUES"
                + " ('b-frank-ops', 10.0, 'admin', 'admin')");
        sql("INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend, budget_id) VALUES"
                + " ('frank', 'ops', 4, 'b-frank-ops')");
        call("frank", "ops");

        // when a spend flush passes the budget and the V6 trigger's spend notice arrives
        sql("UPDATE \"LiteLLM_TeamMembership\" SET spend = spend + 7 WHERE user_id = 'frank'");
        new NoticeEviction(directory, List.of()).accept(ChangeNotice.parse("spend:membership:ops:frank"));

        // then the next request (on a thread that may wait, so it is the one that reads again) is refused
        assertThat(catchThrowableOfType(AuthException.class, () -> call("frank", "ops")).getMessage())
                .isEqualTo("Budget has been exceeded! User=frank in Team=ops Current cost: 11.0, Max budget: 10.0");
    }

    @Test
    void aTeamChangeDropsTheRememberedMembershipsOfTheTeam() throws SQLException {
        sql("INSERT INTO \"LiteLLM_TeamTable\" (team_id, models) VALUES ('infra', ARRAY['gpt-4o-mini'])");
        sql("INSERT INTO \"LiteLLM_UserTable\" (user_id, teams) VALUES ('erin', ARRAY['infra'])");
        call("erin", "infra");
        sql("INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, max_budget, created_by, updated_by) VALUES"
                + " ('b-erin-infra', 1.0, 'admin', 'admin')");
        sql("INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend, budget_id) VALUES"
                + " ('erin', 'infra', 2, 'b-erin-infra')");

        directory.invalidateTeam("infra");

        assertThat(catchThrowableOfType(AuthException.class, () -> call("erin", "infra")).reason())
                .isEqualTo("budget_exceeded");
    }

    @Test
    void readsTheMembershipWithItsBudgetRow() {
        assertThat(directory.membership("eng", "alice")).hasValueSatisfying(m -> {
            assertThat(m.spend()).isEqualTo(12.5);
            assertThat(m.maxBudget()).isEqualTo(10.0);
            assertThat(m.budget().budgetId()).isEqualTo("b-alice-eng");
        });
        assertThat(directory.membership("ops", "bob")).isEmpty();
        assertThat(directory.membership(null, "bob")).isEmpty();
    }
}
