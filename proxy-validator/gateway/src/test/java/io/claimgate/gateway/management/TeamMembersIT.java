package io.claimgate.gateway.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.gateway.GatewayServer;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.support.Http;
import io.claimgate.gateway.support.StubAuthenticator;
import io.claimgate.gateway.support.TestDatabase;
import io.claimgate.model.JwtAuthSettings;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * LiteLLM's team membership endpoints ({@code /team/member_add}, {@code /team/member_delete},
 * {@code /team/member_update}) over real HTTP and a real embedded PostgreSQL with LiteLLM's tables.
 */
class TeamMembersIT {

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
        };
        GatewayConfig config = new GatewayConfig(true, JwtAuthSettings.defaults(), "sk-master", null, List.of(),
                GatewaySettings.defaults().withListener("127.0.0.1", 0), List.of());
        gateway = new GatewayServer(config, new StubAuthenticator(), database.dataSource(), recorder, List.of(),
                new GatewayMetrics()).start();
        http = new Http(gateway.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        database.close();
    }

    @BeforeEach
    void clean() throws Exception {
        database.truncate();
        // The membership table has no foreign key for TRUNCATE ... CASCADE to follow.
        execute("TRUNCATE \"LiteLLM_TeamMembership\"");
        ok(http.post("/team/new", ADMIN, "{\"team_id\": \"eng\"}"));
        ok(http.post("/user/new", ADMIN, "{\"user_id\": \"alice\", \"user_email\": \"alice@example.com\"}"));
        CHANGES.clear();
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response);
    }

    private static JsonNode error(HttpResponse<String> response, int status, String param) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(Integer.toString(status));
        assertThat(error.get("param").asText()).isEqualTo(param);
        return error;
    }

    private static Object column(String sql) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String roster(String teamId) throws Exception {
        return column("SELECT members_with_roles::text FROM \"LiteLLM_TeamTable\" WHERE team_id = '" + teamId + "'")
                .toString();
    }

    private static String teams(String userId) throws Exception {
        return column("SELECT array_to_string(teams, ',') FROM \"LiteLLM_UserTable\" WHERE user_id = '" + userId
                + "'").toString();
    }

    private static long count(String sql) throws Exception {
        return ((Number) column(sql)).longValue();
    }

    @Nested
    class MemberAdd {

        @Test
        void addsAMemberToTheRosterAndTheTeamToTheUserAndAnnouncesBoth() throws Exception {
            // when
            JsonNode answer = ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "admin", "user_id": "alice"}}"""));

            // then the answer is the team with its members and the users it changed, as LiteLLM's
            assertThat(answer.get("team_id").asText()).isEqualTo("eng");
            assertThat(answer.get("members_with_roles")).singleElement().satisfies(m -> {
                assertThat(m.get("user_id").asText()).isEqualTo("alice");
                assertThat(m.get("role").asText()).isEqualTo("admin");
            });
            assertThat(answer.get("updated_users")).singleElement()
                    .satisfies(u -> assertThat(u.get("teams").toString()).isEqualTo("[\"eng\"]"));
            assertThat(answer.get("updated_team_memberships")).isEmpty();
            assertThat(teams("alice")).isEqualTo("eng");
            // LiteLLM creates a membership row only for a member budget.
            assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamMembership\"")).isZero();
            assertThat(CHANGES).containsExactly("team:eng", "user:alice");
        }

        @Test
        void createsTheMembershipWithABudgetRowOfItsOwnForMaxBudgetInTeam() throws Exception {
            JsonNode answer = ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_id": "alice"}, "max_budget_in_team": 10}"""));

            assertThat(answer.get("updated_team_memberships")).singleElement().satisfies(m -> {
                assertThat(m.get("user_id").asText()).isEqualTo("alice");
                assertThat(m.get("litellm_budget_table").get("max_budget").asDouble()).isEqualTo(10.0);
            });
            assertThat(column("SELECT b.max_budget FROM \"LiteLLM_TeamMembership\" m JOIN \"LiteLLM_BudgetTable\" b"
                    + " ON b.budget_id = m.budget_id WHERE m.team_id = 'eng' AND m.user_id = 'alice'"))
                    .isEqualTo(10.0);
        }

        @Test
        void createsAnInternalUserForAnUnknownIdAndForAnUnknownEmail() throws Exception {
            JsonNode answer = ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": [{"role": "user", "user_id": "newbie"},
                                                  {"role": "user", "user_email": "carol@example.com"}]}"""));

            String carol = column("SELECT user_id FROM \"LiteLLM_UserTable\" WHERE user_email = 'carol@example.com'")
                    .toString();
            assertThat(carol).hasSize(36);
            assertThat(column("SELECT user_role FROM \"LiteLLM_UserTable\" WHERE user_id = 'newbie'"))
                    .isEqualTo("internal_user");
            assertThat(teams("newbie")).isEqualTo("eng");
            assertThat(teams(carol)).isEqualTo("eng");
            // The member named by e-mail is stored with the id it was given, as LiteLLM fills it in.
            assertThat(answer.get("members_with_roles")).extracting(m -> m.get("user_id").asText())
                    .containsExactly("newbie", carol);
        }

        @Test
        void findsAnExistingUserByEmailIgnoringCase() throws Exception {
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_email": "Alice@Example.com"}}"""));

            assertThat(teams("alice")).isEqualTo("eng");
            assertThat(count("SELECT count(*) FROM \"LiteLLM_UserTable\"")).isEqualTo(1);
            assertThat(roster("eng")).contains("\"user_id\": \"alice\"");
        }

        @Test
        void refusesAMemberAlreadyInTheTeamWithLiteLlmsErrorType() throws Exception {
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_id": "alice"}}"""));
            CHANGES.clear();

            JsonNode error = error(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "admin", "user_id": "alice"}}"""), 400, "member");

            assertThat(error.get("type").asText()).isEqualTo("team_member_already_in_team");
            assertThat(error.get("message").asText())
                    .isEqualTo("User already in team. Member: user_id=alice, user_email=None");
            assertThat(teams("alice")).isEqualTo("eng");
            assertThat(roster("eng")).contains("\"role\": \"user\"").doesNotContain("admin");
            assertThat(CHANGES).isEmpty();
        }

        @Test
        void addsTheNewMembersOfAListAndSkipsThoseAlreadyInTheTeam() throws Exception {
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_id": "alice"}}"""));

            JsonNode answer = ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": [{"role": "user", "user_id": "alice"},
                                                  {"role": "user", "user_id": "bob"},
                                                  {"role": "user", "user_id": "bob"}]}"""));

            assertThat(answer.get("members_with_roles")).extracting(m -> m.get("user_id").asText())
                    .containsExactly("alice", "bob");
            assertThat(teams("alice")).isEqualTo("eng");
            error(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": [{"role": "user", "user_id": "bob"}]}"""), 400, "member");
        }

        @Test
        void refusesInvalidRequestsWith400NamingTheFieldAndChangesNothing() throws Exception {
            error(http.post("/team/member_add", ADMIN, "{\"member\": {\"role\": \"user\", \"user_id\": \"a\"}}"),
                    400, "team_id");
            error(http.post("/team/member_add", ADMIN, "{\"team_id\": \"eng\"}"), 400, "member");
            error(http.post("/team/member_add", ADMIN, "{\"team_id\": \"eng\", \"member\": []}"), 400, "member");
            error(http.post("/team/member_add", ADMIN, "{\"team_id\": \"eng\", \"member\": \"alice\"}"), 400,
                    "member");
            error(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "owner", "user_id": "alice"}}"""), 400, "member.role");
            error(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user"}}"""), 400, "member");
            error(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_id": 7}}"""), 400, "member.user_id");
            error(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_id": "alice"}, "max_budget_in_team": -1}"""),
                    400, "max_budget_in_team");

            assertThat(roster("eng")).isEqualTo("{}");
            assertThat(teams("alice")).isEmpty();
            assertThat(CHANGES).isEmpty();
        }

        @Test
        void answers404ForAnUnknownTeamWithLiteLlmsMessage() throws Exception {
            HttpResponse<String> response = http.post("/team/member_add", ADMIN, """
                    {"team_id": "ghost", "member": {"role": "user", "user_id": "alice"}}""");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(Http.json(response).get("error").get("message").asText())
                    .isEqualTo("Team not found for team_id=ghost");
            assertThat(teams("alice")).isEmpty();
        }

        @Test
        void refusesAnEmailThatNamesSeveralUsers() throws Exception {
            // Users created by LiteLLM itself may share an address; the gateway's own API never creates such users.
            execute("INSERT INTO \"LiteLLM_UserTable\" (user_id, user_email, teams, models, metadata) VALUES"
                    + " ('alice-2', 'alice@example.com', '{}', '{}', '{}')");

            error(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_email": "alice@example.com"}}"""), 400,
                    "user_email");
            assertThat(roster("eng")).isEqualTo("{}");
        }

        @Test
        void losesNoMemberWhenTenAreAddedAtOnce() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(10);
            try {
                List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String body = "{\"team_id\": \"eng\", \"member\": {\"role\": \"user\", \"user_id\": \"u" + i
                            + "\"}}";
                    calls.add(() -> http.post("/team/member_add", ADMIN, body));
                }
                for (Future<HttpResponse<String>> response : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                    assertThat(response.get().statusCode()).as(response.get().body()).isEqualTo(200);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(count("SELECT jsonb_array_length(members_with_roles) FROM \"LiteLLM_TeamTable\""
                    + " WHERE team_id = 'eng'")).isEqualTo(10);
            assertThat(count("SELECT count(*) FROM \"LiteLLM_UserTable\" WHERE teams = ARRAY['eng']"))
                    .isEqualTo(10);
        }

        @Test
        void refusesCallersWhoAreNotProxyAdmins() throws Exception {
            String body = "{\"team_id\": \"eng\", \"member\": {\"role\": \"admin\", \"user_id\": \"alice\"}}";

            assertThat(http.post("/team/member_add", StubAuthenticator.TEAM_TOKEN, body).statusCode())
                    .isEqualTo(403);
            assertThat(http.post("/team/member_add", null, body).statusCode()).isEqualTo(401);
            assertThat(roster("eng")).isEqualTo("{}");
        }
    }

    @Nested
    class MemberDelete {

        @BeforeEach
        void aliceIsAMemberWithABudget() throws Exception {
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_id": "alice"}, "max_budget_in_team": 5}"""));
            CHANGES.clear();
        }

        @Test
        void removesTheMemberFromTheRosterTheUsersTeamsAndTheMembershipTable() throws Exception {
            JsonNode team = ok(http.post("/team/member_delete", ADMIN, "{\"team_id\": \"eng\", \"user_id\": \"alice\"}"));

            assertThat(team.get("members_with_roles")).isEmpty();
            assertThat(roster("eng")).isEqualTo("[]");
            assertThat(teams("alice")).isEmpty();
            assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamMembership\"")).isZero();
            assertThat(CHANGES).containsExactly("team:eng", "user:alice");
        }

        @Test
        void removesAMemberNamedByEmail() throws Exception {
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_email": "dave@example.com"}}"""));
            String dave = column("SELECT user_id FROM \"LiteLLM_UserTable\" WHERE user_email = 'dave@example.com'")
                    .toString();

            ok(http.post("/team/member_delete", ADMIN, """
                    {"team_id": "eng", "user_email": "dave@example.com"}"""));

            assertThat(roster("eng")).doesNotContain(dave).contains("alice");
            assertThat(teams(dave)).isEmpty();
        }

        @Test
        void refusesAUserWhoIsNotInTheTeamAsLiteLlmDoes() throws Exception {
            ok(http.post("/team/member_delete", ADMIN, "{\"team_id\": \"eng\", \"user_id\": \"alice\"}"));

            JsonNode error = error(http.post("/team/member_delete", ADMIN,
                    "{\"team_id\": \"eng\", \"user_id\": \"alice\"}"), 400, "user_id");
            assertThat(error.get("message").asText()).isEqualTo("User not found in team");
        }

        @Test
        void refusesARequestWithoutATeamOrAUser() throws Exception {
            error(http.post("/team/member_delete", ADMIN, "{\"user_id\": \"alice\"}"), 400, "team_id");
            error(http.post("/team/member_delete", ADMIN, "{\"team_id\": \"eng\"}"), 400, "user_id");
            JsonNode error = error(http.post("/team/member_delete", ADMIN,
                    "{\"team_id\": \"ghost\", \"user_id\": \"alice\"}"), 400, "team_id");
            assertThat(error.get("message").asText()).isEqualTo("Team id=ghost does not exist in db");
            assertThat(teams("alice")).isEqualTo("eng");
        }
    }

    @Nested
    class MemberUpdate {

        @BeforeEach
        void aliceIsAMember() throws Exception {
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_id": "alice"}}"""));
            CHANGES.clear();
        }

        @Test
        void setsTheMembersBudgetAndLimitsInOneBudgetRowAndChangesThemInPlace() throws Exception {
            JsonNode answer = ok(http.post("/team/member_update", ADMIN, """
                    {"team_id": "eng", "user_id": "alice", "max_budget_in_team": 25, "tpm_limit": 1000,
                     "rpm_limit": 10}"""));
            ok(http.post("/team/member_update", ADMIN, """
                    {"team_id": "eng", "user_id": "alice", "rpm_limit": 20}"""));

            assertThat(answer.get("user_id").asText()).isEqualTo("alice");
            assertThat(answer.get("max_budget_in_team").asDouble()).isEqualTo(25.0);
            assertThat(answer.get("tpm_limit").asLong()).isEqualTo(1000);
            assertThat(count("SELECT count(*) FROM \"LiteLLM_BudgetTable\"")).isEqualTo(1);
            assertThat(column("SELECT b.max_budget || '/' || b.tpm_limit || '/' || b.rpm_limit"
                    + " FROM \"LiteLLM_TeamMembership\" m JOIN \"LiteLLM_BudgetTable\" b ON b.budget_id = m.budget_id"
                    + " WHERE m.team_id = 'eng' AND m.user_id = 'alice'")).isEqualTo("25/1000/20");
            assertThat(CHANGES).containsExactly("team:eng", "user:alice", "team:eng", "user:alice");
        }

        @Test
        void changesTheMembersRoleInTheRoster() throws Exception {
            ok(http.post("/team/member_update", ADMIN, """
                    {"team_id": "eng", "user_email": "alice@example.com", "role": "admin"}"""));

            // alice was added by id, so the roster had no e-mail for her: the user table names her, and the entry
            // takes the e-mail, as LiteLLM's member_update stores it
            assertThat(roster("eng")).contains("\"role\": \"admin\"").contains("\"user_email\": \"alice@example.com\"");
            assertThat(roster("eng")).doesNotContain("\"role\": \"user\"");
            error(http.post("/team/member_update", ADMIN, """
                    {"team_id": "eng", "user_email": "nobody@example.com", "role": "admin"}"""), 400, "user_email");
        }

        @Test
        void givesAMemberWhoseBudgetRowIsSharedABudgetOfTheirOwn() throws Exception {
            // given a budget row an organization also uses, linked to alice's membership (as LiteLLM's team default
            // member budget is shared by every member)
            ok(http.post("/organization/new", ADMIN, "{\"organization_id\": \"acme\", \"organization_alias\": \"Acme\","
                    + " \"max_budget\": 1000, \"tpm_limit\": 5}"));
            execute("INSERT INTO \"LiteLLM_TeamMembership\" (user_id, team_id, budget_id) SELECT 'alice', 'eng',"
                    + " budget_id FROM \"LiteLLM_OrganizationTable\" WHERE organization_id = 'acme'");

            // when
            ok(http.post("/team/member_update", ADMIN, """
                    {"team_id": "eng", "user_id": "alice", "max_budget_in_team": 3}"""));

            // then the organization keeps its budget and alice has a copy with her maximum
            assertThat(column("SELECT b.max_budget FROM \"LiteLLM_OrganizationTable\" o JOIN \"LiteLLM_BudgetTable\" b"
                    + " ON b.budget_id = o.budget_id")).isEqualTo(1000.0);
            assertThat(column("SELECT b.max_budget || '/' || b.tpm_limit FROM \"LiteLLM_TeamMembership\" m"
                    + " JOIN \"LiteLLM_BudgetTable\" b ON b.budget_id = m.budget_id WHERE m.user_id = 'alice'"))
                    .isEqualTo("3/5");
        }

        @Test
        void refusesABudgetForSomeoneOutsideTheTeam() throws Exception {
            ok(http.post("/user/new", ADMIN, "{\"user_id\": \"mallory\"}"));

            error(http.post("/team/member_update", ADMIN, """
                    {"team_id": "eng", "user_id": "mallory", "max_budget_in_team": 1000}"""), 400, "user_id");
            assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamMembership\"")).isZero();
        }

        @Test
        void refusesInvalidValuesAndAnUnknownTeam() throws Exception {
            error(http.post("/team/member_update", ADMIN, """
                    {"team_id": "eng", "user_id": "alice", "role": "owner"}"""), 400, "role");
            error(http.post("/team/member_update", ADMIN, """
                    {"team_id": "eng", "user_id": "alice", "tpm_limit": 1.5}"""), 400, "tpm_limit");
            error(http.post("/team/member_update", ADMIN, """
                    {"team_id": "ghost", "user_id": "alice", "role": "admin"}"""), 400, "team_id");
            assertThat(roster("eng")).contains("\"role\": \"user\"");
        }
    }

    @Nested
    class TeamInfoAndDelete {

        @Test
        void aTeamCreatedWithMembersWithRolesJoinsEachMemberAsLiteLlmsTeamNewDoes() throws Exception {
            JsonNode team = ok(http.post("/team/new", ADMIN, """
                    {"team_id": "ops", "members_with_roles": [{"role": "admin", "user_id": "alice"},
                                                              {"role": "user", "user_id": "newbie"}]}"""));

            assertThat(team.get("members_with_roles")).extracting(m -> m.get("role").asText())
                    .containsExactly("admin", "user");
            assertThat(teams("alice")).isEqualTo("ops");
            assertThat(teams("newbie")).isEqualTo("ops");
            assertThat(CHANGES).containsExactly("team:ops", "user:alice", "user:newbie");
        }

        @Test
        void teamListWithAUserIdShowsTheTeamsWhoseRosterHasTheUser() throws Exception {
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"ops\"}"));
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"sales\"}"));
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "ops", "member": {"role": "user", "user_id": "alice"}}"""));
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_id": "alice"}}"""));

            JsonNode teams = ok(http.get("/team/list?user_id=alice", ADMIN));

            assertThat(teams).extracting(t -> t.get("team_id").asText()).containsExactlyInAnyOrder("eng", "ops");
            assertThat(ok(http.get("/team/list", ADMIN))).hasSize(3);
        }

        @Test
        void aTeamWithAnInvalidMemberIsNotCreated() throws Exception {
            error(http.post("/team/new", ADMIN, """
                    {"team_id": "ops", "members_with_roles": [{"role": "user", "user_id": "alice"},
                                                              {"role": "owner", "user_id": "bob"}]}"""),
                    400, "members_with_roles.role");
            error(http.post("/team/new", ADMIN, "{\"team_id\": \"ops\", \"members_with_roles\": \"alice\"}"), 400,
                    "members_with_roles");

            assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamTable\" WHERE team_id = 'ops'")).isZero();
            assertThat(teams("alice")).isEmpty();
        }

        @Test
        void teamInfoListsTheMembersWithRolesAndEachMembershipWithItsBudgetAndSpend() throws Exception {
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "admin", "user_id": "alice"}, "max_budget_in_team": 7}"""));
            execute("UPDATE \"LiteLLM_TeamMembership\" SET spend = 1.25 WHERE user_id = 'alice'");

            JsonNode info = ok(http.get("/team/info?team_id=eng", ADMIN));

            assertThat(info.get("team_info").get("members_with_roles")).singleElement()
                    .satisfies(m -> assertThat(m.get("role").asText()).isEqualTo("admin"));
            assertThat(info.get("team_memberships")).singleElement().satisfies(m -> {
                assertThat(m.get("spend").asDouble()).isEqualTo(1.25);
                assertThat(m.get("litellm_budget_table").get("max_budget").asDouble()).isEqualTo(7.0);
            });
        }

        @Test
        void teamInfoShowsLiteLlmsEmptyRosterDefaultAsAnEmptyList() throws Exception {
            JsonNode info = ok(http.get("/team/info?team_id=eng", ADMIN));

            assertThat(info.get("team_info").get("members_with_roles").isArray()).isTrue();
            assertThat(info.get("team_info").get("members_with_roles")).isEmpty();
        }

        @Test
        void deletingATeamRemovesItFromItsMembersAndDropsTheirMemberships() throws Exception {
            ok(http.post("/team/new", ADMIN, "{\"team_id\": \"ops\"}"));
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "eng", "member": {"role": "user", "user_id": "alice"}, "max_budget_in_team": 1}"""));
            ok(http.post("/team/member_add", ADMIN, """
                    {"team_id": "ops", "member": {"role": "user", "user_id": "alice"}, "max_budget_in_team": 1}"""));
            CHANGES.clear();

            ok(http.post("/team/delete", ADMIN, "{\"team_ids\": [\"eng\"]}"));

            assertThat(teams("alice")).isEqualTo("ops");
            assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamMembership\" WHERE team_id = 'eng'")).isZero();
            assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamMembership\" WHERE team_id = 'ops'")).isEqualTo(1);
            assertThat(CHANGES).containsExactly("team:eng", "user:alice");
        }
    }
}
