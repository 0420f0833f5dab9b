package io.claimgate.gateway.management;

import io.claimgate.gateway.http.JsonResponses;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.claimgate.validator.store.LiteLlmTable;

/** {@code /customer/*}: LiteLLM's end-user ("customer") endpoints over {@code LiteLLM_EndUserTable}. */
final class Customers {

    static final ObjectTable TABLE = new ObjectTable("Customer", LiteLlmTable.END_USER);

    private final ObjectChangeListener listener;

    Customers(ObjectChangeListener listener) {
        this.listener = listener;
    }

    void register(Map<String, Operation> routes) {
        routes.put("/customer/new", this::create);
        routes.put("/customer/update", this::update);
        routes.put("/customer/delete", this::delete);
        routes.put("/customer/info", this::info);
        routes.put("/customer/list", (call, c) -> TABLE.list(c, null, null));
        routes.put("/customer/block", (call, c) -> setBlocked(call, c, true));
        routes.put("/customer/unblock", (call, c) -> setBlocked(call, c, false));
    }

    private Object create(Call call, Connection c) throws SQLException {
        String id = call.requiredBody("user_id");
        Map<String, Object> values = new LinkedHashMap<>(TABLE.fields(call.body()));
        Map<String, Object> limits = Budgets.limits(call.body());
        if (values.get("budget_id") == null && !limits.isEmpty()) {
            values.put("budget_id", Budgets.create(c, limits, call.actor()).get("budget_id"));
        } else if (values.get("budget_id") != null && Budgets.find(c, values.get("budget_id")).isEmpty()) {
            throw JsonResponses.badRequest("budget_not_found",
                    "budget_id '" + values.get("budget_id") + "' does not exist", "budget_id");
        }
        Map<String, Object> row = TABLE.insert(c, values);
        call.onCommit(() -> listener.endUserChanged(id));
        return Budgets.attach(c, row);
    }

    private Object update(Call call, Connection c) throws SQLException {
        String id = call.requiredBody("user_id");
        Map<String, Object> existing = TABLE.require(c, id);
        Map<String, Object> values = TABLE.fields(call.body());
        values.keySet().removeAll(List.of("user_id", "budget_id"));
        Map<String, Object> limits = Budgets.limits(call.body());
        if (!limits.isEmpty()) {
            values.put("budget_id", Budgets.apply(c, existing.get("budget_id"), limits, call.actor()));
        }
        Map<String, Object> row = TABLE.updateExisting(c, id, values);
        call.onCommit(() -> listener.endUserChanged(id));
        return Budgets.attach(c, row);
    }

    private Object delete(Call call, Connection c) throws SQLException {
        List<String> ids = call.requiredIds("user_ids");
        List<Map<String, Object>> deleted = TABLE.deleteExisting(c, ids);
        call.onCommit(ids, listener::endUserChanged);
        return Map.of("deleted_customers", deleted);
    }

    private Object info(Call call, Connection c) throws SQLException {
        String id = call.requiredQuery("end_user_id");
        return Budgets.attach(c, TABLE.require(c, id));
    }

    private Object setBlocked(Call call, Connection c, boolean blocked) throws SQLException {
        List<String> ids = call.requiredIds("user_ids");
        for (String id : ids) {
            TABLE.updateExisting(c, id, Map.of("blocked", blocked));
        }
        call.onCommit(ids, listener::endUserChanged);
        return Map.of(blocked ? "blocked_users" : "unblocked_users", ids);
    }
}
