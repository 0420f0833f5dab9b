package io.claimgate.gateway.management;

import io.claimgate.gateway.http.JsonResponses;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.claimgate.validator.store.LiteLlmTable;

/** {@code /organization/*}: LiteLLM's organization endpoints over {@code LiteLLM_OrganizationTable} and its budget. */
final class Organizations {

    static final ObjectTable TABLE = new ObjectTable("Organization", LiteLlmTable.ORGANIZATION);

    private final ObjectChangeListener listener;

    Organizations(ObjectChangeListener listener) {
        this.listener = listener;
    }

    void register(Map<String, Operation> routes) {
        routes.put("/organization/new", this::create);
        routes.put("/organization/update", this::update);
        routes.put("/organization/delete", this::delete);
        routes.put("/organization/info", this::info);
        routes.put("/organization/list", (call, c) -> TABLE.list(c, null, null));
    }

    private Object create(Call call, Connection c) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>(TABLE.fields(call.body()));
        call.requiredBody("organization_alias");
        if (values.get("organization_id") == null) {
            values.put("organization_id", UUID.randomUUID().toString());
        }
        if (values.get("budget_id") == null) {
            values.put("budget_id", Budgets.create(c, Budgets.limits(call.body()), call.actor()).get("budget_id"));
        } else if (Budgets.find(c, values.get("budget_id")).isEmpty()) {
            throw JsonResponses.badRequest("budget_not_found", "budget_id '" + values.get("budget_id")
                    + "' does not exist", "budget_id");
        }
        values.putIfAbsent("models", List.of());
        values.put("created_by", call.actor());
        values.put("updated_by", call.actor());
        Map<String, Object> row = TABLE.insert(c, values);
        String id = row.get("organization_id").toString();
        call.onCommit(() -> listener.organizationChanged(id));
        return Budgets.attach(c, row);
    }

    private Object update(Call call, Connection c) throws SQLException {
        String id = call.requiredBody("organization_id");
        Map<String, Object> existing = TABLE.require(c, id);
        Map<String, Object> values = TABLE.fields(call.body());
        values.keySet().removeAll(List.of("organization_id", "budget_id", "created_by", "updated_by"));
        Map<String, Object> limits = Budgets.limits(call.body());
        if (!limits.isEmpty()) {
            values.put("budget_id", Budgets.apply(c, existing.get("budget_id"), limits, call.actor()));
        }
        values.put("updated_by", call.actor());
        Map<String, Object> row = TABLE.updateExisting(c, id, values);
        call.onCommit(() -> listener.organizationChanged(id));
        return Budgets.attach(c, row);
    }

    private Object delete(Call call, Connection c) throws SQLException {
        List<String> ids = call.requiredIds("organization_ids");
        List<Map<String, Object>> deleted = TABLE.deleteExisting(c, ids);
        call.onCommit(ids, listener::organizationChanged);
        return deleted;
    }

    private Object info(Call call, Connection c) throws SQLException {
        String id = call.requiredQuery("organization_id");
        Map<String, Object> out = Budgets.attach(c, TABLE.require(c, id));
        out.put("teams", Teams.TABLE.list(c, "organization_id", id));
        return out;
    }
}
