package io.claimgate.validator.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A claim named the way LiteLLM's {@code *_jwt_field} settings name it: {@code a.b.c} walks nested objects,
 * {@code \.} is a literal dot inside a name ({@code kubernetes\.io.namespace}), and one leading {@code metadata.} is
 * dropped, exactly as LiteLLM's {@code get_nested_value} does.
 *
 * <p>There is no list indexing: {@code roles.0} looks for a key named {@code 0} and finds nothing, as in LiteLLM.
 * Compiled once from the setting; {@link #read(Map)} walks the claims without allocating.
 */
public final class ClaimPath {

    private static final String METADATA_PREFIX = "metadata.";

    private final String field;
    private final String[] names;

    private ClaimPath(String field, String[] names) {
        this.field = field;
        this.names = names;
    }

    /**
     * Compiles a LiteLLM claim field.
     *
     * @throws IllegalArgumentException when the field is empty
     */
    public static ClaimPath compile(String field) {
        Objects.requireNonNull(field, "field");
        if (field.isEmpty()) {
            throw new IllegalArgumentException("a claim field must not be empty");
        }
        String path = field.startsWith(METADATA_PREFIX) ? field.substring(METADATA_PREFIX.length()) : field;
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length() && path.charAt(i + 1) == '.') {
                current.append('.');
                i++;
            } else if (c == '.') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return new ClaimPath(field, parts.toArray(String[]::new));
    }

    /** Compiles the field, or returns {@code null} when the setting is unset. */
    static ClaimPath compileIfSet(String field) {
        return field == null ? null : compile(field);
    }

    /**
     * The value at this path, or {@code null} when any step is missing or is not an object. A claim that is present
     * with the value {@code null} also reads as {@code null}.
     */
    public Object read(Map<String, ?> claims) {
        Object current = claims;
        for (String name : names) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(name);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** Whether the path names a value, even a {@code null} one; LiteLLM's team id tells the two apart. */
    public boolean isPresent(Map<String, ?> claims) {
        Object current = claims;
        for (int i = 0; i < names.length; i++) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(names[i])) {
                return false;
            }
            current = map.get(names[i]);
        }
        return true;
    }

    /** The setting as written, for messages. */
    public String field() {
        return field;
    }

    /** The names walked, after escapes and the {@code metadata.} prefix are resolved. */
    public List<String> names() {
        return List.of(names);
    }

    @Override
    public String toString() {
        return field;
    }
}
