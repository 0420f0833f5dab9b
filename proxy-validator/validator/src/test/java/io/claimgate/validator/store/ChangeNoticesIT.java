package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Changes are announced on PostgreSQL's LISTEN/NOTIFY, by the management API and by the V3 triggers whoever writes
 * the tables, and a subscriber that lost its connection listens again and drops everything once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChangeNoticesIT {

    private String databaseName;
    private TcpProxy proxy;
    private Database database;
    private ChangeSubscriber subscriber;
    private final BlockingQueue<ChangeNotice> heard = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        String url = TestPostgres.freshDatabase();
        databaseName = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        proxy = new TcpProxy(TestPostgres.server().getPort());
        database = Database.open(DatabaseSettings.of(TestPostgres.jdbcUrl(TestPostgres.server().getPort(),
                databaseName)));
        // The subscriber's own connection goes through the proxy, so that a test can take it away.
        subscriber = ChangeSubscriber.start(() -> java.sql.DriverManager.getConnection(
                TestPostgres.jdbcUrl(proxy.port(), databaseName)), heard::add);
        assertThat(next()).isEqualTo(new ChangeNotice(ChangeNotice.Kind.ALL, ""));
    }

    @AfterEach
    void stop() throws Exception {
        subscriber.close();
        database.close();
        proxy.close();
    }

    private ChangeNotice next() throws InterruptedException {
        ChangeNotice notice = heard.poll(10, TimeUnit.SECONDS);
        assertThat(notice).as("a notice within 10 s").isNotNull();
        return notice;
    }

    private void sql(String... statements) {
        TestPostgres.execute(TestPostgres.jdbcUrl(TestPostgres.server().getPort(), databaseName), statements);
    }

    @Test
    void deliversAnAnnouncedChangeToTheListener() throws Exception {
        // when the management API announces a team change
        new ChangeNotices(database.dataSource()).announce(new ChangeNotice(ChangeNotice.Kind.TEAM, "research"));

        // then
        assertThat(next()).isEqualTo(new ChangeNotice(ChangeNotice.Kind.TEAM, "research"));
    }

    @Test
    void announcesChangesAnotherSystemMakesToTheTablesThroughTheTriggers() throws Exception {
        // when LiteLLM (any other writer) changes the tables with plain SQL
        sql("INSERT INTO \"LiteLLM_TeamTable\" (team_id, models) VALUES ('ops', '{}')");
        ChangeNotice inserted = next();
        sql("UPDATE \"LiteLLM_TeamTable\" SET blocked = true WHERE team_id = 'ops'");
        ChangeNotice blocked = next();
        sql("INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, created_by, updated_by) VALUES ('b1', 'x', 'x')",
                "INSERT INTO \"LiteLLM_EndUserTable\" (user_id, budget_id) VALUES ('customer-1', 'b1')",
                "INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id) VALUES ('alice', 'ops')",
                "DELETE FROM \"LiteLLM_UserTable\"");
        List<ChangeNotice> more = List.of(next(), next(), next());

        // then each change is announced with what it changed
        assertThat(inserted).isEqualTo(new ChangeNotice(ChangeNotice.Kind.TEAM, "ops"));
        assertThat(blocked).isEqualTo(new ChangeNotice(ChangeNotice.Kind.TEAM, "ops"));
        assertThat(more).containsExactly(new ChangeNotice(ChangeNotice.Kind.BUDGET, "b1"),
                new ChangeNotice(ChangeNotice.Kind.END_USER, "customer-1"),
                new ChangeNotice(ChangeNotice.Kind.MEMBERSHIP, "ops:alice"));
    }

    @Test
    void announcesAChangeOfSpendAloneAsSuch() throws Exception {
        sql("INSERT INTO \"LiteLLM_TeamTable\" (team_id, models) VALUES ('ops', '{}')",
                "INSERT INTO \"LiteLLM_UserTable\" (user_id) VALUES ('alice')",
                "INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id) VALUES ('alice', 'ops')");
        List.of(next(), next(), next());

        // when a spend flush adds to the team, the user and the membership in one transaction (LiteLLM's updates also
        // touch model_spend and updated_at)
        sql("BEGIN",
                "UPDATE \"LiteLLM_TeamTable\" SET spend = spend + 0.5 WHERE team_id = 'ops'",
                "UPDATE \"LiteLLM_UserTable\" SET spend = spend + 0.5, model_spend = '{\"gpt-4o\": 0.5}',"
                        + " updated_at = now() WHERE user_id = 'alice'",
                "UPDATE \"LiteLLM_TeamMembership\" SET spend = spend + 0.5 WHERE team_id = 'ops'",
                "COMMIT");
        List<ChangeNotice> spend = List.of(next(), next(), next());
        // and when spend changes along with something else
        sql("UPDATE \"LiteLLM_TeamTable\" SET spend = 0, blocked = true WHERE team_id = 'ops'");
        ChangeNotice blocked = next();

        // then
        assertThat(spend).containsExactly(ChangeNotice.ofSpend(ChangeNotice.Kind.TEAM, "ops"),
                ChangeNotice.ofSpend(ChangeNotice.Kind.USER, "alice"),
                ChangeNotice.ofSpend(ChangeNotice.Kind.MEMBERSHIP, "ops:alice"));
        assertThat(blocked).isEqualTo(new ChangeNotice(ChangeNotice.Kind.TEAM, "ops"));
    }

    @Test
    void announcesATruncatedTableAsEverythingChanged() throws Exception {
        // when a table is emptied at once
        sql("TRUNCATE \"LiteLLM_OrganizationTable\" CASCADE");

        // then everything is to be dropped
        assertThat(next().kind()).isEqualTo(ChangeNotice.Kind.ALL);
    }

    @Test
    void listensAgainAfterALostConnectionAndDropsEverythingOnce() throws Exception {
        // given the listener's connection is cut
        proxy.cut();
        Thread.sleep(Duration.ofMillis(200).toMillis());
        proxy.restore();

        // when it is back, then it drops everything once (it may have missed notices) and hears new ones
        assertThat(next()).isEqualTo(new ChangeNotice(ChangeNotice.Kind.ALL, ""));
        new ChangeNotices(database.dataSource()).announce(new ChangeNotice(ChangeNotice.Kind.USER, "bob"));
        assertThat(next()).isEqualTo(new ChangeNotice(ChangeNotice.Kind.USER, "bob"));
        assertThat(subscriber.subscriptions()).isEqualTo(2);
    }

    @Test
    void readsAPayloadItDoesNotKnowAsEverythingChanged() {
        assertThat(ChangeNotice.parse("widget:7").kind()).isEqualTo(ChangeNotice.Kind.ALL);
        assertThat(ChangeNotice.parse(null).kind()).isEqualTo(ChangeNotice.Kind.ALL);
        assertThat(ChangeNotice.parse("membership:t:u")).isEqualTo(
                new ChangeNotice(ChangeNotice.Kind.MEMBERSHIP, "t:u"));
        assertThat(new ChangeNotice(ChangeNotice.Kind.TEAM, "x".repeat(9000)).payload()).isEqualTo("all:");
    }

    @Test
    void readsAndWritesSpendNotices() {
        assertThat(ChangeNotice.parse("spend:team:ops")).isEqualTo(ChangeNotice.ofSpend(ChangeNotice.Kind.TEAM, "ops"));
        assertThat(ChangeNotice.parse("spend:membership:t:u")).isEqualTo(
                ChangeNotice.ofSpend(ChangeNotice.Kind.MEMBERSHIP, "t:u"));
        assertThat(ChangeNotice.ofSpend(ChangeNotice.Kind.END_USER, "c-1").payload()).isEqualTo("spend:end_user:c-1");
        // Budgets hold no spend, and what is not understood still means that anything may have changed.
        assertThat(ChangeNotice.parse("spend:budget:b1")).isEqualTo(new ChangeNotice(ChangeNotice.Kind.BUDGET, "b1"));
        assertThat(ChangeNotice.parse("spend:widget:7")).isEqualTo(new ChangeNotice(ChangeNotice.Kind.ALL, ""));
        assertThat(ChangeNotice.parse("spend:")).isEqualTo(new ChangeNotice(ChangeNotice.Kind.ALL, ""));
    }
}
