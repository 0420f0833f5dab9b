package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.model.Team;
import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A team's model aliases as LiteLLM stores them ({@code LiteLLM_TeamTable.model_id} to
 * {@code LiteLLM_ModelTable.aliases}), read with the team from a real PostgreSQL, and a change to them announced as a
 * change of the team, so that no replica keeps deciding with the old aliases.
 */
class TeamModelAliasesIT {

    private static String jdbcUrl;
    private static Database database;
    private static PostgresDirectory directory;

    @BeforeAll
    static void startDatabase() {
        jdbcUrl = TestPostgres.freshDatabase();
        database = Database.open(DatabaseSettings.of(jdbcUrl));
        directory = new PostgresDirectory(database.dataSource());
        TestPostgres.execute(jdbcUrl,
                "INSERT INTO \"LiteLLM_ModelTable\" (id, aliases, created_by, updated_by) VALUES"
                        + " (1, '{\"gpt-4o\": \"gpt-4o-team-1\", \"house\": \"claude\"}', 'admin', 'admin'),"
                        + " (2, '{\"odd\": 42, \"fine\": \"gpt-4o\"}', 'admin', 'admin'),"
                        + " (3, NULL, 'admin', 'admin'), (4, '{\"house\": \"claude\"}', 'admin', 'admin')",
                "INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias, models, model_id, created_at) VALUES"
                        + " ('team-aliased', 'aliased', '{gpt-4o-team-1}', 1, '2026-01-01'),"
                        + " ('team-odd', NULL, '{}', 2, '2026-01-01'),"
                        + " ('team-null-aliases', NULL, '{}', 3, '2026-01-01'),"
                        + " ('team-plain', NULL, '{gpt-4o}', NULL, '2026-01-01'),"
                        + " ('team-notice', NULL, '{}', 4, '2026-01-01')");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void readsTheTeamsAliasesWithItsRow() {
        assertThat(directory.team("team-aliased").map(Team::modelAliases).orElseThrow())
                .containsExactlyInAnyOrderEntriesOf(Map.of("gpt-4o", "gpt-4o-team-1", "house", "claude"));
        assertThat(directory.teamByAlias("aliased").map(Team::modelAliases).orElseThrow()).containsKey("house");
    }

    @Test
    void aTeamWithoutAModelRowOrAliasesHasNone() {
        assertThat(directory.team("team-plain").map(Team::modelAliases).orElseThrow()).isEmpty();
        assertThat(directory.team("team-null-aliases").map(Team::modelAliases).orElseThrow()).isEmpty();
    }

    @Test
    void leavesOutAnAliasWhoseTargetIsNoName() {
        assertThat(directory.team("team-odd").map(Team::modelAliases).orElseThrow())
                .containsExactly(Map.entry("fine", "gpt-4o"));
    }

    @Test
    void announcesAChangeOfTheAliasesAsAChangeOfEveryTeamUsingThem() throws Exception {
        BlockingQueue<ChangeNotice> heard = new LinkedBlockingQueue<>();
        try (ChangeSubscriber subscriber = ChangeSubscriber.start(() -> DriverManager.getConnection(jdbcUrl),
                heard::add)) {
            assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo(new ChangeNotice(ChangeNotice.Kind.ALL, ""));

            // when LiteLLM's /team/update rewrites the aliases
            TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_ModelTable\" SET aliases = '{\"house\": \"gpt-4o\"}'"
                    + " WHERE id = 4");

            // then the team that uses them is announced
            assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo(
                    new ChangeNotice(ChangeNotice.Kind.TEAM, "team-notice"));
        }
    }
}
