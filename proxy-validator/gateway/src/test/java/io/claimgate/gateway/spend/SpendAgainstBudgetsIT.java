package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.gateway.store.EmbeddedDatabase;
import io.claimgate.model.Team;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.ErrorType;
import io.claimgate.validator.access.CommonChecks;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.PostgresDirectory;
import io.claimgate.validator.store.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Spend written by the ledger is what the budget checks read, and coexists with the rows a LiteLLM upstream writes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpendAgainstBudgetsIT {

    @TempDir
    static Path dataDirectory;

    private static EmbeddedDatabase server;
    private static Database database;

    @BeforeAll
    static void startDatabase() {
        server = EmbeddedDatabase.start(dataDirectory, 0);
        database = Database.open(server.jdbcUrl());
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
        server.close();
    }

    private static SpendRecord answered(String team, double cost) {
        Instant now = Instant.now();
        return new SpendRecord(UUID.randomUUID().toString(), "acompletion", "gpt-4o", null, team, null, null,
                Usage.of(1000, 100), cost, now, now);
    }

    @Test
    void aTeamIsRefusedOnceTheSpendOfItsAnswersPassesItsBudget() {
        // given a team with a budget of 1.00 and an answer of 0.75 written
        TestPostgres.execute(server.jdbcUrl(),
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id, max_budget, models) VALUES ('budgeted', 1.0, '{}')");
        PostgresDirectory directory = new PostgresDirectory(database.dataSource());
        SpendLedger ledger = SpendLedger.manual(database.dataSource(), SpendSettings.defaults());
        ledger.record(answered("budgeted", 0.75));
        ledger.flush();
        Team withinBudget = directory.team("budgeted").orElseThrow();

        // when a second answer of 0.5 is written
        ledger.record(answered("budgeted", 0.5));
        ledger.flush();
        Team overBudget = directory.team("budgeted").orElseThrow();

        // then
        assertThatCode(() -> CommonChecks.verify(withinBudget, null, null, null, "gpt-4o", "/chat/completions"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> CommonChecks.verify(overBudget, null, null, null, "gpt-4o", "/chat/completions"))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.BUDGET_EXCEEDED);
                    assertThat(e.getMessage()).contains("Budget has been exceeded! Team=budgeted Current cost: 1.25");
                });
    }

    @Test
    void countsNothingTwiceWhenALiteLlmUpstreamLogsTheSameCallsForItsOwnKey() throws SQLException {
        // given the rows a LiteLLM upstream leaves for calls made with the gateway's key: no user, no team
        TestPostgres.execute(server.jdbcUrl(),
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id) VALUES ('shared')",
                "INSERT INTO \"LiteLLM_SpendLogs\" (request_id, call_type, api_key, spend, \"startTime\", \"endTime\", "
                        + "model, \"user\", team_id, metadata) VALUES "
                        + "('chatcmpl-litellm-1', 'acompletion', '88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b', "
                        + "0.25, now(), now(), 'gpt-4o', '', NULL, '{\"user_api_key_alias\":\"claimgate\"}')");
        SpendLedger ledger = SpendLedger.manual(database.dataSource(), SpendSettings.defaults());

        // when the gateway books the same call to the team it was made for
        ledger.record(answered("shared", 0.25));
        ledger.flush();

        // then the team carries the call once, and each side's log row says who wrote it
        assertThat(single("SELECT spend::text FROM \"LiteLLM_TeamTable\" WHERE team_id = 'shared'")).isEqualTo("0.25");
        assertThat(single("SELECT count(*)::text FROM \"LiteLLM_SpendLogs\" WHERE team_id = 'shared'"))
                .isEqualTo("1");
        assertThat(single("SELECT count(*)::text FROM \"LiteLLM_SpendLogs\" WHERE metadata->>'recorded_by' = "
                + "'claimgate' AND team_id = 'shared'")).isEqualTo("1");
    }

    private static String single(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet row = s.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }
}
