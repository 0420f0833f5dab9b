package io.claimgate.gateway.management;

import io.claimgate.gateway.http.JsonResponses;
import io.claimgate.validator.store.LiteLlmTable;
import io.claimgate.validator.store.TableColumn;
import io.claimgate.validator.store.TableColumn.Shape;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * A column the management API writes, as {@link LiteLlmTable} declares it, and how a JSON value becomes an SQL value.
 * A value of the wrong shape is a 400 naming the field.
 *
 * @param name the column and field name (LiteLLM's API uses the column names)
 * @param type its shape
 */
record Column(String name, Shape type) {

    /** The management view of a column {@link LiteLlmTable} marks as managed. */
    static Column of(TableColumn column) {
        if (!column.managed() || column.shape() == Shape.TIMESTAMP) {
            throw new IllegalArgumentException("column " + column.name() + " is not written by the management API");
        }
        return new Column(column.name(), column.shape());
    }

    /** The SQL placeholder: JSON needs a cast from text. */
    String placeholder() {
        return type == Shape.JSON ? "CAST(? AS jsonb)" : "?";
    }

    /** Checks a JSON value's shape; {@code null} is allowed and clears the column. */
    Object check(Object value) {
        if (value == null) {
            return null;
        }
        boolean ok = switch (type) {
            case TEXT -> value instanceof String;
            case TEXT_LIST -> value instanceof List<?> l && l.stream().allMatch(String.class::isInstance);
            case NUMBER -> value instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0;
            case INTEGER -> value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                    && n.doubleValue() >= 0;
            case BOOLEAN -> value instanceof Boolean;
            case JSON -> value instanceof Map<?, ?>;
            case TIMESTAMP -> false;
        };
        if (!ok) {
            throw invalid(name, "must be " + switch (type) {
                case TEXT -> "a string";
                case TEXT_LIST -> "a list of strings";
                case NUMBER -> "a number >= 0";
                case INTEGER -> "a whole number >= 0";
                case BOOLEAN -> "true or false";
                case JSON -> "a JSON object";
                case TIMESTAMP -> "set by the database";
            });
        }
        return value;
    }

    void bind(Connection connection, PreparedStatement statement, int index, Object value) throws SQLException {
        switch (type) {
            case TEXT -> statement.setString(index, (String) value);
            case TEXT_LIST -> statement.setArray(index, connection.createArrayOf("text",
                    value == null ? new Object[0] : ((List<?>) value).toArray()));
            case NUMBER -> {
                if (value == null) {
                    statement.setNull(index, Types.DOUBLE);
                } else {
                    statement.setDouble(index, ((Number) value).doubleValue());
                }
            }
            case INTEGER -> {
                if (value == null) {
                    statement.setNull(index, Types.BIGINT);
                } else {
                    statement.setLong(index, ((Number) value).longValue());
                }
            }
            case BOOLEAN -> statement.setBoolean(index, value != null && (Boolean) value);
            case JSON -> statement.setString(index, Rows.toJson(value == null ? Map.of() : value));
            case TIMESTAMP -> throw new IllegalStateException("timestamps are set by the database");
        }
    }

    static io.claimgate.gateway.http.HttpError invalid(String field, String message) {
        return JsonResponses.badRequest("invalid_" + field, field + " " + message, field);
    }
}
