package io.claimgate.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one set of value rules for a LiteLLM {@code config.yaml}: how a YAML value becomes a string, a list, a
 * boolean, a whole number or a duration, and how {@code os.environ/NAME} is resolved. Both the
 * {@code litellm_jwtauth} block and the gateway's own section are read through it, so a value means the same
 * wherever it is written. Every error is a {@link SettingsException} naming the key. Immutable.
 */
public final class ConfigValues {

    /** Durations are at most a day: a longer cache, timeout or grace period is a typo, not a choice. */
    public static final long MAX_SECONDS = 86_400;

    private static final String ENV_REFERENCE = "os.environ/";
    private static final ConfigValues LITERAL = new ConfigValues(null);

    private final Map<String, String> environment;

    private ConfigValues(Map<String, String> environment) {
        this.environment = environment == null ? null : Map.copyOf(environment);
    }

    /** Values read as written: {@code os.environ/NAME} is not resolved (a library caller resolves its own). */
    public static ConfigValues literal() {
        return LITERAL;
    }

    /** Values whose {@code os.environ/NAME} references are resolved against {@code environment}. */
    public static ConfigValues resolvingAgainst(Map<String, String> environment) {
        return new ConfigValues(environment);
    }

    /** A string, {@code null} when absent or blank; numbers and booleans are taken as written. */
    public String string(String key, Object value) {
        Object v = resolve(key, value);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s.isBlank() ? null : s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw new SettingsException(key, "expected a string, got " + describe(v));
    }

    /** A string that must be there. */
    public String requiredString(String key, Object value) {
        String s = string(key, value);
        if (s == null) {
            throw new SettingsException(key, "is required");
        }
        return s;
    }

    /** A list of non-empty strings; a single string is a list of one; {@code fallback} when absent. */
    public List<String> strings(String key, Object value, List<String> fallback) {
        Object v = resolve(key, value);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s) {
            return List.of(requiredEntry(key, s));
        }
        if (!(v instanceof Collection<?> c)) {
            throw new SettingsException(key, "expected a list of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>(c.size());
        for (Object o : c) {
            out.add(requiredEntry(key, o));
        }
        return List.copyOf(out);
    }

    private String requiredEntry(String key, Object value) {
        String s = string(key, value);
        if (s == null) {
            throw new SettingsException(key, "must not contain empty entries");
        }
        return s;
    }

    /** {@code true} or {@code false}, also as a string in any case; {@code fallback} when absent. */
    public boolean bool(String key, Object value, boolean fallback) {
        Object v = resolve(key, value);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new SettingsException(key, "expected true or false, got " + describe(v));
    }

    /** A whole number, also as a string; {@code fallback} when absent. */
    public long number(String key, Object value, long fallback) {
        Object v = resolve(key, value);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new SettingsException(key, "expected a whole number, got " + describe(v));
    }

    /** A whole number within {@code [min, max]}; {@code fallback} when absent. */
    public long number(String key, Object value, long fallback, long min, long max) {
        long n = number(key, value, fallback);
        if (n < min || n > max) {
            throw new SettingsException(key, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /**
     * A number of seconds, fractions allowed, from 0 to {@value #MAX_SECONDS}; {@code fallback} when absent. Keys
     * for which 0 cannot work (a timeout, a cache lifetime) say so with {@link #positiveSeconds}.
     */
    public Duration seconds(String key, Object value, Duration fallback) {
        Object v = resolve(key, value);
        if (v == null) {
            return fallback;
        }
        double s;
        try {
            s = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new SettingsException(key, "expected a number of seconds, got " + describe(v));
        }
        if (!Double.isFinite(s) || s < 0 || s > MAX_SECONDS) {
            throw new SettingsException(key, "must be a number of seconds from 0 to " + MAX_SECONDS + ", got " + v);
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    /** As {@link #seconds}, but more than 0. */
    public Duration positiveSeconds(String key, Object value, Duration fallback) {
        Duration d = seconds(key, value, fallback);
        if (d == null || d.isZero()) {
            throw new SettingsException(key, "must be more than 0 and at most " + MAX_SECONDS + " seconds, got "
                    + (d == null ? "nothing" : "0"));
        }
        return d;
    }

    /** A mapping with string keys; empty when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key, Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new SettingsException(key, "expected a mapping, got " + describe(value));
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new SettingsException(key, "keys must be strings, got " + describe(k));
            }
        }
        return (Map<String, Object>) m;
    }

    /** A list of mappings, each read by {@code reader} with its position in the key; {@code List.of()} if absent. */
    public <T> List<T> entries(String key, Object value, Function<Entry, T> reader) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new SettingsException(key, "expected a list of mappings, got " + describe(value));
        }
        List<T> out = new ArrayList<>(list.size());
        for (Object o : list) {
            out.add(reader.apply(new Entry(key, map(key, o), this)));
        }
        return List.copyOf(out);
    }

    /** One mapping of a list read by {@link #entries}: its values read under {@code list.field} keys. */
    public record Entry(String listKey, Map<String, Object> values, ConfigValues rules) {

        public String requiredString(String field) {
            return rules.requiredString(listKey + "." + field, values.get(field));
        }

        public List<String> strings(String field) {
            return rules.strings(listKey + "." + field, values.get(field), List.of());
        }

        public ProxyRole role(String field) {
            return rules.role(listKey + "." + field, values.get(field));
        }

        /** Refuses a field not in {@code allowed}, e.g. a misspelt {@code modles}. */
        public Entry onlyFields(List<String> allowed) {
            for (String field : values.keySet()) {
                if (!allowed.contains(field)) {
                    throw new SettingsException(listKey + "." + field, "unknown key; allowed: "
                            + String.join(", ", allowed));
                }
            }
            return this;
        }
    }

    /** One of LiteLLM's proxy roles by its wire name. */
    public ProxyRole role(String key, Object value) {
        String wire = requiredString(key, value);
        return ProxyRole.fromWireValue(wire).orElseThrow(() -> new SettingsException(key,
                "unknown role '" + wire + "'; allowed: " + roleNames()));
    }

    /** A copy of a mapping with every {@code os.environ/} reference in it resolved, recursively. */
    public Map<String, Object> resolved(String key, Map<String, Object> mapping) {
        Map<String, Object> out = new LinkedHashMap<>();
        mapping.forEach((k, v) -> out.put(k, resolvedTree(key + "." + k, v)));
        return out;
    }

    private Object resolvedTree(String key, Object value) {
        if (value instanceof String) {
            return resolve(key, value);
        }
        if (value instanceof Map<?, ?>) {
            return resolved(key, map(key, value));
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(resolvedTree(key + "[" + i + "]", list.get(i)));
            }
            return out;
        }
        return value;
    }

    /** The value, with an {@code os.environ/NAME} string replaced by the variable; an unset variable is refused. */
    private Object resolve(String key, Object value) {
        if (environment == null || !(value instanceof String s) || !s.startsWith(ENV_REFERENCE)) {
            return value;
        }
        String name = s.substring(ENV_REFERENCE.length());
        String resolved = environment.get(name);
        if (resolved == null) {
            throw new SettingsException(key, "refers to environment variable " + name + ", which is not set");
        }
        return resolved;
    }

    /** A comma-separated environment variable as a list, blanks dropped. */
    public static List<String> commaSeparated(String value) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return List.copyOf(out);
    }

    private static String roleNames() {
        List<String> names = new ArrayList<>();
        for (ProxyRole r : ProxyRole.values()) {
            names.add(r.wireValue());
        }
        return String.join(", ", names);
    }

    /** How a wrong value is shown: its YAML type and the value itself (settings here hold no secrets). */
    public static String describe(Object value) {
        return value == null ? "nothing" : value.getClass().getSimpleName().toLowerCase() + " '" + value + "'";
    }
}
