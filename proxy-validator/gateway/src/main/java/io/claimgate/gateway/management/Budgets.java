package io.claimgate.gateway.management;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import io.claimgate.validator.store.LiteLlmTable;

/**
 * {@code LiteLLM_BudgetTable}: organizations and customers keep their limits in a budget row of their own, which
 * LiteLLM creates from the budget fields of {@code /organization/new} and {@code /customer/new}.
 */
final class Budgets {

    static final ObjectTable TABLE = new ObjectTable("Budget", LiteLlmTable.BUDGET);

    private static final List<String> LIMITS = List.of("max_budget", "soft_budget", "max_parallel_requests",
            "tpm_limit", "rpm_limit", "budget_duration");

    private Budgets() {
    }

    /** The budget fields of a request body, shape-checked. */
    static Map<String, Object> limits(Map<String, Object> body) {
        Map<String, Object> fields = TABLE.fields(body);
        fields.keySet().retainAll(LIMITS);
        return fields;
    }

    static Map<String, Object> create(Connection c, Map<String, Object> limits, String actor) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>(limits);
        values.put("budget_id", UUID.randomUUID().toString());
        values.put("created_by", actor);
        values.put("updated_by", actor);
        return TABLE.insert(c, values);
    }

    static Optional<Map<String, Object>> find(Connection c, Object budgetId) throws SQLException {
        return budgetId == null ? Optional.empty() : TABLE.find(c, budgetId.toString());
    }

    /** Applies the limits to the object's budget, creating one when it has none; returns the budget id. */
    static String apply(Connection c, Object budgetId, Map<String, Object> limits, String actor) throws SQLException {
        if (budgetId == null) {
            return create(c, limits, actor).get("budget_id").toString();
        }
        Map<String, Object> values = new LinkedHashMap<>(limits);
        values.put("updated_by", actor);
        TABLE.update(c, budgetId.toString(), values);
        return budgetId.toString();
    }

    /** The row with its budget row under {@code litellm_budget_table}, as LiteLLM's info endpoints answer. */
    static Map<String, Object> attach(Connection c, Map<String, Object> row) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>(row);
        out.put("litellm_budget_table", find(c, row.get("budget_id")).orElse(null));
        return out;
    }
}
