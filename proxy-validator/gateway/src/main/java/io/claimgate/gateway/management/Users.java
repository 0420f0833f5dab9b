package io.claimgate.gateway.management;

import io.claimgate.model.ProxyRole;
import io.claimgate.gateway.http.JsonResponses;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.claimgate.validator.store.LiteLlmTable;

/** {@code /user/*}: LiteLLM's internal-user endpoints over {@code LiteLLM_UserTable}. */
final class Users {

    static final ObjectTable TABLE = new ObjectTable("User", LiteLlmTable.USER);

    private static final int DEFAULT_PAGE_SIZE = 25;

    private final ObjectChangeListener listener;

    Users(ObjectChangeListener listener) {
        this.listener = listener;
    }

    void register(Map<String, Operation> routes) {
        routes.put("/user/new", this::create);
        routes.put("/user/update", this::update);
        routes.put("/user/delete", this::delete);
        routes.put("/user/info", this::info);
        routes.put("/user/list", this::list);
    }

    private Object create(Call call, Connection c) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>(TABLE.fields(call.body()));
        if (values.get("user_id") == null) {
            values.put("user_id", UUID.randomUUID().toString());
        }
        // LiteLLM's default role for a user created through the API.
        values.putIfAbsent("user_role", ProxyRole.INTERNAL_USER.wireValue());
        values.putIfAbsent("models", List.of());
        values.putIfAbsent("teams", List.of());
        check(c, values, values.get("user_id").toString());
        Map<String, Object> row = TABLE.insert(c, values);
        String id = row.get("user_id").toString();
        call.onCommit(() -> listener.userChanged(id));
        return row;
    }

    private Object update(Call call, Connection c) throws SQLException {
        String id = resolveId(call, c);
        Map<String, Object> values = TABLE.fields(call.body());
        values.remove("user_id");
        check(c, values, id);
        Map<String, Object> row = TABLE.updateExisting(c, id, values);
        call.onCommit(() -> listener.userChanged(id));
        return Map.of("user_id", id, "data", row);
    }

    private Object delete(Call call, Connection c) throws SQLException {
        List<String> ids = call.requiredIds("user_ids");
        List<Map<String, Object>> deleted = TABLE.deleteExisting(c, ids);
        call.onCommit(ids, listener::userChanged);
        return Map.of("deleted_users", deleted);
    }

    private Object info(Call call, Connection c) throws SQLException {
        String id = call.requiredQuery("user_id");
        Map<String, Object> row = TABLE.require(c, id);
        List<Map<String, Object>> teams = new ArrayList<>();
        Object teamIds = row.get("teams");
        if (teamIds instanceof List<?> list && !list.isEmpty()) {
            teams = Rows.query(c, "SELECT * FROM " + LiteLlmTable.TEAM.quoted() + " WHERE team_id = ANY(?) ORDER BY team_id",
                    list.stream().map(Object::toString).toList());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_id", id);
        out.put("user_info", row);
        out.put("keys", List.of());
        out.put("teams", teams);
        return out;
    }

    private Object list(Call call, Connection c) throws SQLException {
        String role = call.query("role");
        List<Map<String, Object>> all = TABLE.list(c, role == null ? null : "user_role", role);
        int page = positive(call.query("page"), 1, "page");
        int size = positive(call.query("page_size"), DEFAULT_PAGE_SIZE, "page_size");
        int from = (int) Math.min(all.size(), (long) (page - 1) * size);
        int to = Math.min(all.size(), from + size);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("users", all.subList(from, to));
        out.put("total", all.size());
        out.put("page", page);
        out.put("page_size", size);
        out.put("total_pages", (all.size() + size - 1) / size);
        return out;
    }

    /** {@code /user/update} names the user by {@code user_id} or, as in LiteLLM, by {@code user_email}. */
    private static String resolveId(Call call, Connection c) throws SQLException {
        if (call.body().get("user_id") instanceof String id && !id.isBlank()) {
            return id;
        }
        if (call.body().get("user_email") instanceof String email && !email.isBlank()) {
            List<Map<String, Object>> rows = Rows.query(c,
                    "SELECT user_id FROM " + LiteLlmTable.USER.quoted() + " WHERE lower(user_email) = lower(?)", email);
            if (rows.size() == 1) {
                return rows.get(0).get("user_id").toString();
            }
            throw Call.notFound("User", email);
        }
        throw JsonResponses.badRequest("missing_user_id", "user_id or user_email is required", "user_id");
    }

    private static void check(Connection c, Map<String, Object> values, String userId) throws SQLException {
        Object role = values.get("user_role");
        if (role != null && ProxyRole.fromWireValue(role.toString()).isEmpty()) {
            throw JsonResponses.badRequest("invalid_user_role", "user_role '" + role + "' is not one of LiteLLM's "
                    + "roles (proxy_admin, proxy_admin_viewer, org_admin, internal_user, internal_user_viewer, team, "
                    + "customer)", "user_role");
        }
        Object email = values.get("user_email");
        // Users are looked up by e-mail as a fallback, so an address must name one user.
        if (email != null && !Rows.query(c, "SELECT 1 FROM " + LiteLlmTable.USER.quoted() + " WHERE lower(user_email) = lower(?) "
                + "AND user_id <> ?", email, userId).isEmpty()) {
            throw JsonResponses.badRequest("user_email_taken", "user_email '" + email + "' belongs to another user",
                    "user_email");
        }
        Teams.checkOrganization(c, values.get("organization_id"));
    }

    private static int positive(String value, int fallback, String name) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw JsonResponses.badRequest("invalid_" + name, name + " must be a whole number from 1 to 10000", name);
    }
}
