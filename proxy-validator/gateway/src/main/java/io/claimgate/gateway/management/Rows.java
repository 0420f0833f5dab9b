package io.claimgate.gateway.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.store.DatabaseFailures;
import io.claimgate.gateway.http.JsonResponses;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows as LiteLLM returns them: one JSON object per row, column names as field names, arrays as lists, JSON columns
 * as objects, timestamps as ISO-8601. Also maps SQL failures to the client's answer.
 */
final class Rows {

    private Rows() {
    }

    /** Runs a query with plain parameters and returns every row. */
    static List<Map<String, Object>> query(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p instanceof List<?> list) {
                    statement.setArray(i + 1, connection.createArrayOf("text", list.toArray()));
                } else {
                    statement.setObject(i + 1, p);
                }
            }
            try (ResultSet rs = statement.executeQuery()) {
                return all(rs);
            }
        }
    }

    static List<Map<String, Object>> all(ResultSet rs) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                row.put(meta.getColumnLabel(c), value(rs, c, meta.getColumnTypeName(c)));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Object value(ResultSet rs, int column, String typeName) throws SQLException {
        Object raw = rs.getObject(column);
        if (raw == null) {
            return null;
        }
        if (raw instanceof Array array) {
            return Arrays.asList((Object[]) array.getArray());
        }
        if (raw instanceof Timestamp ts) {
            return ts.toInstant().toString();
        }
        if ("jsonb".equals(typeName) || "json".equals(typeName)) {
            try {
                return JsonResponses.JSON.readValue(rs.getString(column), Object.class);
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        return raw;
    }

    static String toJson(Object value) {
        try {
            return JsonResponses.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON", e);
        }
    }

    /**
     * The client's answer for an SQL failure: a constraint the request broke is 400 (the caller can fix it); any other
     * failure is the database's, answered as every endpoint answers it ({@link DatabaseFailures}: 503).
     *
     * @param operation the management route, for the log
     */
    static RuntimeException failure(String operation, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("23505")) {
            return JsonResponses.badRequest("already_exists", "An object with this id already exists", null);
        }
        if (state.equals("23503")) {
            return JsonResponses.badRequest("reference_violation",
                    "The request refers to an object that does not exist, or deletes one still in use", null);
        }
        if (state.startsWith("23") || state.startsWith("22")) {
            return JsonResponses.badRequest("invalid_value", "A value is not valid for the database", null);
        }
        return DatabaseFailures.of(operation, e);
    }
}
