package io.claimgate.validator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.claimgate.model.ProxyRole;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads LiteLLM's column types into the model's: {@code TEXT[]} to lists, {@code JSONB} to maps, nullable numbers to
 * {@code Double}, and {@code user_role} text to {@link ProxyRole}.
 */
final class Columns {

    private static final Logger LOG = LoggerFactory.getLogger(Columns.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Unknown roles already reported; bounded because the values come from rows anyone with write access sets. */
    private static final Set<String> REPORTED_ROLES = ConcurrentHashMap.newKeySet();
    private static final int MAX_REPORTED_ROLES = 100;

    private Columns() {
    }

    /** A {@code TEXT[]} column; SQL {@code NULL} and {@code NULL} elements read as absent. */
    static List<String> strings(ResultSet row, String column) throws SQLException {
        Array array = row.getArray(column);
        if (array == null) {
            return List.of();
        }
        try {
            Object[] elements = (Object[]) array.getArray();
            List<String> strings = new ArrayList<>(elements.length);
            for (Object element : elements) {
                if (element != null) {
                    strings.add(element.toString());
                }
            }
            return strings;
        } finally {
            array.free();
        }
    }

    /** A nullable {@code DOUBLE PRECISION} column. */
    static Double nullableDouble(ResultSet row, String column) throws SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? null : value;
    }

    /**
     * A {@code JSONB} object column as a map; SQL or JSON {@code null} reads as empty, and top-level {@code null}
     * values are dropped because the model's maps cannot hold them (absent and null mean the same to readers).
     *
     * @throws IllegalStateException when the column holds JSON that is not an object
     */
    static Map<String, Object> jsonObject(ResultSet row, String column) throws SQLException {
        String text = row.getString(column);
        if (text == null) {
            return Map.of();
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("column " + column + " holds invalid JSON", e);
        }
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalStateException("column " + column + " holds JSON " + node.getNodeType()
                    + ", not an object");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            if (!property.getValue().isNull()) {
                map.put(property.getKey(), JSON.convertValue(property.getValue(), Object.class));
            }
        }
        return map;
    }

    /** The {@code user_role} column; a value LiteLLM does not define reads as no role, reported once per value. */
    static ProxyRole role(ResultSet row, String column) throws SQLException {
        String value = row.getString(column);
        if (value == null) {
            return null;
        }
        ProxyRole role = ProxyRole.fromWireValue(value).orElse(null);
        if (role == null && REPORTED_ROLES.size() < MAX_REPORTED_ROLES && REPORTED_ROLES.add(value)) {
            LOG.warn("Column {} holds the unknown role '{}'; users with it are treated as having no stored role",
                    column, value);
        }
        return role;
    }
}
