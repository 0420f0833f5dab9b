package io.claimgate.gateway.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.gateway.GatewayServer;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.support.Http;
import io.claimgate.gateway.support.StubAuthenticator;
import io.claimgate.gateway.support.TestDatabase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** LiteLLM's management API over real HTTP and a real embedded PostgreSQL with LiteLLM's tables. */
class ManagementApiIT {

    private static final String MASTER_KEY = "sk-master";
    private static final String ADMIN = StubAuthenticator.ADMIN_TOKEN;

    private static TestDatabase database;
    private static GatewayServer gateway;
    private static Http http;
    private static final List<String> CHANGES = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        ObjectChangeListener recorder = new ObjectChangeListener() {
            @Override
            public void teamChanged(String id) {
                CHANGES.add("team:" + id);
            }

            @Override
            public void userChanged(String id) {
                CHANGES.add("user:" + id);
            }

            @Override
            public void organizationChanged(String id) {
                CHANGES.add("organization:" + id);
            }

            @Override
            public void endUserChanged(String id) {
                CHANGES.add("end_user:" + id);
            }
        };
        gateway = startGateway(database.dataSource(), recorder);
        http = new Http(gateway.uri());
    }

    private static GatewayServer startGateway(DataSource dataSource) {
        return startGateway(dataSource, ObjectChangeListener.NONE);
    }

    private static GatewayServer startGateway(DataSource dataSource, ObjectChangeListener listener) {
        GatewayConfig config = new GatewayConfig(true, JwtAuthSettings.defaults(), MASTER_KEY, null, List.of(),
                GatewaySettings.defaults().withListener("127.0.0.1", 0), List.of());
        return new GatewayServer(config, new StubAuthenticator(), dataSource, listener, List.of(),
                new GatewayMetrics()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        database.close();
    }

    @BeforeEach
    void clean() throws Exception {
        database.truncate();
        CHANGES.clear();
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response);
    }

    private static void assertError(HttpResponse<String> response, int status, String param) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(Integer.toString(status));
        if (param != null) {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
    }

    private static Object column(String sql) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    @Nested
    class TeamsApi {

        @Test
        void createsATeamWithLiteLlmsFieldsAndAnnouncesIt() throws Exception {
            JsonNode team = ok(http.post("/team/new", ADMIN, """
                    {"team_id": "research", "team_alias": "Research", "models": ["gpt-4o", "claude"],
                     "max_budget": 100.5, "metadata": {"cost_center": "r&d"}}"""));

            assertThat(team.get("team_id").asText()).isEqualTo("research");
            assertThat(team.get("team_alias").asText()).isEqualTo("Research");
            assertThat(team.get("models").toString()).isEqualTo("[\"gpt-4o\",\"claude\"]");
            assertThat(team.get("max_budget").asDouble()).isEqualTo(100.5);
            assertThat(team.get("blocked").asBoolean()).isFalse();
            assertThat(team.get("metadata").get("cost_center").asText()).isEqualTo("r&d");
            assertThat(column("SELECT models[2] FROM \"LiteLLM_TeamTable\" WHERE team_id = 'research'"))
                    .isEqualTo("claude");
            assertThat(CHANGES).containsExactly("team:research");
        }

        @Test
        void generatesATeamIdWhenNoneIsGiven() throws Exception {
            JsonNode team = ok(http.post("/team/new", ADMIN, "{\"team_alias\": \"Support\"}"));

            assertThat(team.get("team_id").asText()).hasSize(36);
        }

        @Test
        void acceptsTheMasterKey() throws Exception {
            ok(http.post("/team/new", MASTER_KEY, "{\"team_id\": \"t1\"}"));
        }

        @Test
        void showsUpdatesAndListsTeams() throws Exception {
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"t1\", \"models\": [\"gpt-4o\"]}"));

            JsonNode updated = ok(http.post("/team/update", ADMIN, "{\"team_id\": \"t1\", \"models\": [\"claude\"]}"));
            JsonNode info = ok(http.get("/team/info?team_id=t1", ADMIN));
            JsonNode list = ok(http.get("/team/list", ADMIN));

            assertThat(updated.get("data").get("models").toString()).isEqualTo("[\"claude\"]");
            assertThat(info.get("team_info").get("models").toString()).isEqualTo("[\"claude\"]");
            assertThat(list).hasSize(1);
            assertThat(CHANGES).containsExactly("team:t1", "team:t1");
        }

        @Test
        void showsTheSpendOfTheTeamAndOfEachMemberInTeamInfo() throws Exception {
            // given a team and a membership with the spend the gateway's ledger wrote
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"spender\"}"));
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("UPDATE \"LiteLLM_TeamTable\" SET spend = 1.5 WHERE team_id = 'spender'");
                s.execute("INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, spend) "
                        + "VALUES ('alice', 'spender', 0.25)");
            }

            // when
            JsonNode info = ok(http.get("/team/info?team_id=spender", ADMIN));

            // then
            assertThat(info.get("team_info").get("spend").asDouble()).isEqualTo(1.5);
            assertThat(info.get("team_memberships")).singleElement().satisfies(m -> {
                assertThat(m.get("user_id").asText()).isEqualTo("alice");
                assertThat(m.get("spend").asDouble()).isEqualTo(0.25);
            });
        }

        @Test
        void blocksUnblocksAndDeletesTeams() throws Exception {
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"t1\"}"));
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"t2\"}"));

            assertThat(ok(http.post("/team/block", ADMIN, "{\"team_id\": \"t1\"}")).get("blocked").asBoolean())
                    .isTrue();
            assertThat(column("SELECT blocked FROM \"LiteLLM_TeamTable\" WHERE team_id = 't1'")).isEqualTo(true);
            assertThat(ok(http.post("/team/unblock", ADMIN, "{\"team_id\": \"t1\"}")).get("blocked").asBoolean())
                    .isFalse();
            ok(http.post("/team/delete", ADMIN, "{\"team_ids\": [\"t1\", \"t2\"]}"));

            assertThat(column("SELECT count(*) FROM \"LiteLLM_TeamTable\"")).isEqualTo(0L);
            assertThat(CHANGES).endsWith("team:t1", "team:t2");
        }

        @Test
        void answers404ForAMissingTeamAndChangesNothing() throws Exception {
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"t1\"}"));

            assertError(http.get("/team/info?team_id=nope", ADMIN), 404, null);
            assertError(http.post("/team/delete", ADMIN, "{\"team_ids\": [\"t1\", \"nope\"]}"), 404, null);
            assertThat(column("SELECT count(*) FROM \"LiteLLM_TeamTable\"")).isEqualTo(1L);
        }

        @Test
        void refusesInvalidFieldsWith400NamingThem() throws Exception {
            assertError(http.post("/team/new", ADMIN, "{\"models\": \"gpt-4o\"}"), 400, "models");
            assertError(http.post("/team/new", ADMIN, "{\"max_budget\": -1}"), 400, "max_budget");
            assertError(http.post("/team/delete", ADMIN, "{\"team_ids\": []}"), 400, "team_ids");
            assertError(http.post("/team/new", ADMIN, "[1]"), 400, null);
            assertError(http.get("/team/info", ADMIN), 400, "team_id");
        }

        @Test
        void refusesADuplicateIdOrAlias() throws Exception {
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"t1\", \"team_alias\": \"Research\"}"));

            assertError(http.post("/team/new", ADMIN, "{\"team_id\": \"t1\"}"), 400, null);
            assertError(http.post("/team/new", ADMIN, "{\"team_alias\": \"Research\"}"), 400, "team_alias");
        }

        @Test
        void refusesATeamInAnUnknownOrganization() throws Exception {
            assertError(http.post("/team/new", ADMIN, "{\"organization_id\": \"ghost\"}"), 400, "organization_id");
        }

        @Test
        void refusesTheWrongMethod() throws Exception {
            assertError(http.get("/team/new", ADMIN), 405, null);
        }

        @Test
        void refusesCallersWhoAreNotProxyAdmins() throws Exception {
            assertError(http.post("/team/new", null, "{}"), 401, null);
            assertError(http.post("/team/new", StubAuthenticator.TEAM_TOKEN, "{}"), 403, null);
            assertThat(column("SELECT count(*) FROM \"LiteLLM_TeamTable\"")).isEqualTo(0L);
        }
    }

    @Nested
    class UsersApi {

        @Test
        void createsShowsUpdatesListsAndDeletesUsers() throws Exception {
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"research\"}"));
            JsonNode created = ok(http.post("/user/new", ADMIN, """
                    {"user_id": "alice", "user_email": "alice@example.com", "teams": ["research"],
                     "max_budget": 10}"""));

            assertThat(created.get("user_role").asText()).isEqualTo("internal_user");
            JsonNode info = ok(http.get("/user/info?user_id=alice", ADMIN));
            assertThat(info.get("user_info").get("user_email").asText()).isEqualTo("alice@example.com");
            assertThat(info.get("teams").get(0).get("team_id").asText()).isEqualTo("research");

            JsonNode updated = ok(http.post("/user/update", ADMIN,
                    "{\"user_email\": \"ALICE@example.com\", \"user_role\": \"proxy_admin_viewer\"}"));
            assertThat(updated.get("data").get("user_role").asText()).isEqualTo("proxy_admin_viewer");

            JsonNode list = ok(http.get("/user/list?page_size=10", ADMIN));
            assertThat(list.get("total").asInt()).isEqualTo(1);
            assertThat(list.get("users").get(0).get("user_id").asText()).isEqualTo("alice");

            ok(http.post("/user/delete", ADMIN, "{\"user_ids\": [\"alice\"]}"));
            assertThat(column("SELECT count(*) FROM \"LiteLLM_UserTable\"")).isEqualTo(0L);
            assertThat(CHANGES).containsSubsequence("user:alice", "user:alice", "user:alice");
        }

        @Test
        void refusesAnUnknownRoleAndASharedEmail() throws Exception {
            ok(http.post("/user/new", ADMIN, "{\"user_id\": \"a\", \"user_email\": \"a@example.com\"}"));

            assertError(http.post("/user/new", ADMIN, "{\"user_role\": \"wizard\"}"), 400, "user_role");
            assertError(http.post("/user/new", ADMIN, "{\"user_email\": \"A@example.com\"}"), 400, "user_email");
        }
    }

    @Nested
    class OrganizationsApi {

        @Test
        void createsAnOrganizationWithItsBudgetAndTeamsInIt() throws Exception {
            JsonNode org = ok(http.post("/organization/new", ADMIN, """
                    {"organization_id": "acme", "organization_alias": "Acme", "models": ["gpt-4o"],
                     "max_budget": 500}"""));

            assertThat(org.get("litellm_budget_table").get("max_budget").asDouble()).isEqualTo(500);
            assertThat(org.get("created_by").asText()).isEqualTo("admin");
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"t1\", \"organization_id\": \"acme\"}"));

            JsonNode info = ok(http.get("/organization/info?organization_id=acme", ADMIN));
            assertThat(info.get("teams").get(0).get("team_id").asText()).isEqualTo("t1");

            JsonNode updated = ok(http.send(http.request("/organization/update")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(
                            "{\"organization_id\": \"acme\", \"max_budget\": 50}"))
                    .header("Authorization", "Bearer " + ADMIN)));
            assertThat(updated.get("litellm_budget_table").get("max_budget").asDouble()).isEqualTo(50);
            assertThat(ok(http.get("/organization/list", ADMIN))).hasSize(1);
            assertThat(CHANGES).contains("organization:acme");
        }

        @Test
        void requiresAnAlias() throws Exception {
            assertError(http.post("/organization/new", ADMIN, "{}"), 400, "organization_alias");
        }

        @Test
        void deletesAnOrganization() throws Exception {
            ok(http.post("/organization/new", ADMIN, "{\"organization_id\": \"o1\", \"organization_alias\": \"O\"}"));

            ok(http.send(http.request("/organization/delete")
                    .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"organization_ids\": [\"o1\"]}"))
                    .header("Authorization", "Bearer " + ADMIN)));

            assertThat(column("SELECT count(*) FROM \"LiteLLM_OrganizationTable\"")).isEqualTo(0L);
        }
    }

    @Nested
    class CustomersApi {

        @Test
        void createsBlocksUnblocksUpdatesAndDeletesCustomers() throws Exception {
            JsonNode created = ok(http.post("/customer/new", ADMIN,
                    "{\"user_id\": \"cust-1\", \"alias\": \"Shop\", \"max_budget\": 5}"));
            assertThat(created.get("litellm_budget_table").get("max_budget").asDouble()).isEqualTo(5);

            ok(http.post("/customer/block", ADMIN, "{\"user_ids\": [\"cust-1\"]}"));
            assertThat(ok(http.get("/customer/info?end_user_id=cust-1", ADMIN)).get("blocked").asBoolean()).isTrue();
            ok(http.post("/customer/unblock", ADMIN, "{\"user_ids\": [\"cust-1\"]}"));
            assertThat(column("SELECT blocked FROM \"LiteLLM_EndUserTable\" WHERE user_id = 'cust-1'"))
                    .isEqualTo(false);

            JsonNode updated = ok(http.post("/customer/update", ADMIN, "{\"user_id\": \"cust-1\", \"max_budget\": 9}"));
            assertThat(updated.get("litellm_budget_table").get("max_budget").asDouble()).isEqualTo(9);

            ok(http.post("/customer/delete", ADMIN, "{\"user_ids\": [\"cust-1\"]}"));
            assertError(http.get("/customer/info?end_user_id=cust-1", ADMIN), 404, null);
            assertThat(CHANGES).containsOnly("end_user:cust-1").hasSize(5);
        }

        @Test
        void requiresTheCustomersId() throws Exception {
            assertError(http.post("/customer/new", ADMIN, "{\"alias\": \"x\"}"), 400, "user_id");
            assertError(http.post("/customer/block", ADMIN, "{\"user_ids\": [\"ghost\"]}"), 404, null);
        }
    }

    /** A failing database is answered as authentication answers it: 503, the SQL detail in the log only. */
    @Nested
    class FailingDatabase {

        @Test
        void answers503WhenTheDatabaseHasNoConnectionLeft() throws Exception {
            // given a role PostgreSQL lets open no connection: SQLState 53300, too_many_connections
            execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'capped') THEN "
                    + "CREATE ROLE capped LOGIN CONNECTION LIMIT 0; END IF; END $$");

            try (GatewayServer capped = gatewayAs("capped")) {
                // when
                HttpResponse<String> response = new Http(capped.uri()).post("/team/new", ADMIN,
                        "{\"team_id\": \"t-1\"}");

                // then
                assertUnavailable(response);
                assertThat(message(response)).startsWith("Database unavailable");
                assertThat(response.body()).doesNotContain("capped").doesNotContain("53300");
            }
        }

        @Test
        void answers503WhenTheDatabaseRefusesTheStatement() throws Exception {
            // given a role that may connect but not touch LiteLLM's tables: SQLState 42501, insufficient_privilege
            execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'unprivileged') THEN "
                    + "CREATE ROLE unprivileged LOGIN; END IF; END $$");

            try (GatewayServer unprivileged = gatewayAs("unprivileged")) {
                // when
                HttpResponse<String> response = new Http(unprivileged.uri()).get("/team/list", ADMIN);

                // then
                assertUnavailable(response);
                assertThat(message(response)).startsWith("Database error");
                assertThat(response.body()).doesNotContain("permission").doesNotContain("LiteLLM_TeamTable");
            }
            assertThat(column("SELECT count(*) FROM \"LiteLLM_TeamTable\"")).isEqualTo(0L);
        }

        private static void assertUnavailable(HttpResponse<String> response) throws Exception {
            assertError(response, 503, null);
            assertThat(Http.json(response).get("error").get("type").asText()).isEqualTo("service_unavailable");
        }

        private static String message(HttpResponse<String> response) throws Exception {
            return Http.json(response).get("error").get("message").asText();
        }

        private static GatewayServer gatewayAs(String role) {
            PGSimpleDataSource owner = (PGSimpleDataSource) database.dataSource();
            PGSimpleDataSource asRole = new PGSimpleDataSource();
            asRole.setServerNames(owner.getServerNames());
            asRole.setPortNumbers(owner.getPortNumbers());
            asRole.setDatabaseName(owner.getDatabaseName());
            asRole.setUser(role);
            return startGateway(asRole);
        }

        private static void execute(String sql) throws Exception {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
    }
}
