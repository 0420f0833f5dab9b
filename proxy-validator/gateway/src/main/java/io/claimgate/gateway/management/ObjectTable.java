package io.claimgate.gateway.management;

import io.claimgate.validator.store.LiteLlmTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One of LiteLLM's object tables, written through the columns {@link LiteLlmTable} marks as managed. Table and column
 * names are those constants, never request input, so concatenating them into SQL is safe; values are bound.
 */
final class ObjectTable {

    private final String what;
    private final String table;
    private final String idColumn;
    private final Map<String, Column> columns;
    private final boolean hasUpdatedAt;

    /**
     * @param what  the object's name in messages, e.g. {@code Team}
     * @param table the table, whose managed columns are the writable ones
     */
    ObjectTable(String what, LiteLlmTable table) {
        this.what = what;
        this.table = table.quoted();
        this.idColumn = table.key();
        this.columns = table.managedColumns().stream().map(Column::of).collect(Collectors.toMap(Column::name,
                c -> c, (a, b) -> a, LinkedHashMap::new));
        this.hasUpdatedAt = table.has("updated_at");
    }

    /** The request's writable fields, shape-checked; other fields are ignored (LiteLLM fields not stored here). */
    Map<String, Object> fields(Map<String, Object> body) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Column> c : columns.entrySet()) {
            if (body.containsKey(c.getKey())) {
                out.put(c.getKey(), c.getValue().check(body.get(c.getKey())));
            }
        }
        return out;
    }

    Map<String, Object> insert(Connection connection, Map<String, Object> values) throws SQLException {
        String names = values.keySet().stream().map(ObjectTable::quote).collect(Collectors.joining(", "));
        String placeholders = values.keySet().stream().map(k -> columns.get(k).placeholder())
                .collect(Collectors.joining(", "));
        String sql = "INSERT INTO " + table + " (" + names + ") VALUES (" + placeholders + ") RETURNING *";
        return single(connection, sql, values, List.of());
    }

    Optional<Map<String, Object>> find(Connection connection, String id) throws SQLException {
        return Rows.query(connection, "SELECT * FROM " + table + " WHERE " + quote(idColumn) + " = ?", id)
                .stream().findFirst();
    }

    /** The row with this id, or 404. */
    Map<String, Object> require(Connection connection, String id) throws SQLException {
        return find(connection, id).orElseThrow(() -> Call.notFound(what, id));
    }

    /** Updates the given fields of an existing row, or 404. */
    Map<String, Object> updateExisting(Connection connection, String id, Map<String, Object> values)
            throws SQLException {
        return update(connection, id, values).orElseThrow(() -> Call.notFound(what, id));
    }

    /** Deletes these ids when all exist (404 naming the first missing one otherwise); returns the deleted rows. */
    List<Map<String, Object>> deleteExisting(Connection connection, List<String> ids) throws SQLException {
        for (String id : ids) {
            require(connection, id);
        }
        return delete(connection, ids);
    }

    /** Updates the given fields; empty when no row has this id. */
    Optional<Map<String, Object>> update(Connection connection, String id, Map<String, Object> values)
            throws SQLException {
        if (values.isEmpty()) {
            return find(connection, id);
        }
        List<String> sets = new ArrayList<>();
        values.keySet().forEach(k -> sets.add(quote(k) + " = " + columns.get(k).placeholder()));
        if (hasUpdatedAt) {
            sets.add("updated_at = CURRENT_TIMESTAMP");
        }
        String sql = "UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE " + quote(idColumn)
                + " = ? RETURNING *";
        List<Map<String, Object>> rows = rows(connection, sql, values, List.of(id));
        return rows.stream().findFirst();
    }

    private List<Map<String, Object>> delete(Connection connection, List<String> ids) throws SQLException {
        return Rows.query(connection, "DELETE FROM " + table + " WHERE " + quote(idColumn) + " = ANY(?) RETURNING *",
                ids);
    }

    /** Every row, optionally filtered by one column, in a stable order. */
    List<Map<String, Object>> list(Connection connection, String filterColumn, Object filterValue)
            throws SQLException {
        String where = filterColumn == null ? "" : " WHERE " + quote(filterColumn) + " = ?";
        String order = hasUpdatedAt ? "created_at, " + quote(idColumn) : quote(idColumn);
        String sql = "SELECT * FROM " + table + where + " ORDER BY " + order;
        return filterColumn == null ? Rows.query(connection, sql) : Rows.query(connection, sql, filterValue);
    }

    private Map<String, Object> single(Connection connection, String sql, Map<String, Object> values,
                                       List<Object> extra) throws SQLException {
        return rows(connection, sql, values, extra).get(0);
    }

    private List<Map<String, Object>> rows(Connection connection, String sql, Map<String, Object> values,
                                           List<Object> extra) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            for (Map.Entry<String, Object> v : values.entrySet()) {
                columns.get(v.getKey()).bind(connection, statement, i++, v.getValue());
            }
            for (Object e : extra) {
                statement.setObject(i++, e);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return Rows.all(rs);
            }
        }
    }

    private static String quote(String column) {
        return "\"" + column + "\"";
    }
}
