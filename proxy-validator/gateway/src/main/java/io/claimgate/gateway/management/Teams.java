package io.claimgate.gateway.management;

import io.claimgate.gateway.http.JsonResponses;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.claimgate.validator.store.LiteLlmTable;

/** {@code /team/*}: LiteLLM's team endpoints over {@code LiteLLM_TeamTable}. */
final class Teams {

    static final ObjectTable TABLE = new ObjectTable("Team", LiteLlmTable.TEAM);

    private final ObjectChangeListener listener;

    Teams(ObjectChangeListener listener) {
        this.listener = listener;
    }

    void register(Map<String, Operation> routes) {
        routes.put("/team/new", this::create);
        routes.put("/team/update", this::update);
        routes.put("/team/delete", this::delete);
        routes.put("/team/info", this::info);
        routes.put("/team/list", this::list);
        routes.put("/team/block", (call, c) -> setBlocked(call, c, true));
        routes.put("/team/unblock", (call, c) -> setBlocked(call, c, false));
    }

    private Object create(Call call, Connection c) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>(TABLE.fields(call.body()));
        if (values.get("team_id") == null) {
            values.put("team_id", UUID.randomUUID().toString());
        }
        values.putIfAbsent("models", List.of());
        values.putIfAbsent("admins", List.of());
        values.putIfAbsent("members", List.of());
        checkAlias(c, values.get("team_alias"), values.get("team_id"));
        checkOrganization(c, values.get("organization_id"));
        Map<String, Object> row = TABLE.insert(c, values);
        String id = row.get("team_id").toString();
        List<String> joined = new ArrayList<>();
        if (call.body().get("members_with_roles") != null) {
            row = Members.addInitialMembers(c, row, call.body().get("members_with_roles"), joined);
        }
        // A team looked up before it existed may be cached as missing.
        call.onCommit(() -> listener.teamChanged(id));
        call.onCommit(joined, listener::userChanged);
        return withRosterList(row);
    }

    private Object update(Call call, Connection c) throws SQLException {
        String id = call.requiredBody("team_id");
        Map<String, Object> values = TABLE.fields(call.body());
        values.remove("team_id");
        if (values.containsKey("team_alias")) {
            checkAlias(c, values.get("team_alias"), id);
        }
        checkOrganization(c, values.get("organization_id"));
        Map<String, Object> row = TABLE.updateExisting(c, id, values);
        call.onCommit(() -> listener.teamChanged(id));
        return Map.of("team_id", id, "data", withRosterList(row));
    }

    private Object delete(Call call, Connection c) throws SQLException {
        List<String> ids = call.requiredIds("team_ids");
        List<Map<String, Object>> deleted = TABLE.deleteExisting(c, ids);
        // As LiteLLM removes each member from a deleted team: no user keeps the team in teams, no membership stays.
        List<String> members = Rows.query(c, "UPDATE " + LiteLlmTable.USER.quoted() + " u SET teams = "
                + "(SELECT coalesce(array_agg(t), '{}') FROM unnest(u.teams) AS t WHERE NOT (t = ANY(?))),"
                + " updated_at = CURRENT_TIMESTAMP WHERE u.teams && ? RETURNING u.user_id", ids, ids).stream()
                .map(row -> row.get("user_id").toString()).toList();
        Rows.query(c, "DELETE FROM \"LiteLLM_TeamMembership\" WHERE team_id = ANY(?) RETURNING user_id", ids);
        call.onCommit(ids, listener::teamChanged);
        call.onCommit(members, listener::userChanged);
        return Map.of("deleted_teams", deleted.stream().map(Teams::withRosterList).toList());
    }

    private Object info(Call call, Connection c) throws SQLException {
        String id = call.requiredQuery("team_id");
        Map<String, Object> row = TABLE.require(c, id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("team_id", id);
        out.put("team_info", withRosterList(row));
        // LiteLLM lists the team's virtual keys, which Claimgate does not have, and its members' spend and budgets.
        out.put("keys", List.of());
        List<Map<String, Object>> memberships = new ArrayList<>();
        for (Map<String, Object> membership : Rows.query(c, "SELECT * FROM \"LiteLLM_TeamMembership\" "
                + "WHERE \"team_id\" = ? ORDER BY \"user_id\"", id)) {
            memberships.add(Budgets.attach(c, membership));
        }
        out.put("team_memberships", memberships);
        return out;
    }

    /** Every team, or those of one organization; with LiteLLM's {@code user_id}, those the user is a member of. */
    private Object list(Call call, Connection c) throws SQLException {
        String organizationId = call.query("organization_id");
        String userId = call.query("user_id");
        return TABLE.list(c, organizationId == null ? null : "organization_id", organizationId).stream()
                .filter(row -> userId == null || Roster.read(row.get("members_with_roles")).hasUser(userId))
                .map(Teams::withRosterList).toList();
    }

    private Object setBlocked(Call call, Connection c, boolean blocked) throws SQLException {
        String id = call.requiredBody("team_id");
        Map<String, Object> row = TABLE.updateExisting(c, id, Map.of("blocked", blocked));
        call.onCommit(() -> listener.teamChanged(id));
        return row;
    }

    /**
     * The team row with {@code members_with_roles} as the list LiteLLM answers: the column's default is {@code {}}
     * (LiteLLM's Prisma schema), which LiteLLM reads as no members.
     */
    static Map<String, Object> withRosterList(Map<String, Object> row) {
        if (!row.containsKey("members_with_roles")) {
            return row;
        }
        Map<String, Object> out = new LinkedHashMap<>(row);
        out.put("members_with_roles", Roster.read(row.get("members_with_roles")).json());
        return out;
    }

    /** Tokens may name a team by alias, so an alias must name one team. */
    private static void checkAlias(Connection c, Object alias, Object teamId) throws SQLException {
        if (alias != null && Rows.query(c, "SELECT 1 FROM " + LiteLlmTable.TEAM.quoted() + " WHERE team_alias = ? AND team_id <> ?",
                alias, teamId).size() > 0) {
            throw JsonResponses.badRequest("team_alias_taken", "team_alias '" + alias + "' is already used by "
                    + "another team", "team_alias");
        }
    }

    static void checkOrganization(Connection c, Object organizationId) throws SQLException {
        if (organizationId != null && Organizations.TABLE.find(c, organizationId.toString()).isEmpty()) {
            throw JsonResponses.badRequest("organization_not_found", "organization_id '" + organizationId
                    + "' does not exist; create it with /organization/new", "organization_id");
        }
    }
}
