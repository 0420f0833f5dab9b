package io.claimgate.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A {@code litellm_jwtauth} block as the stage settings read it: each stage asks for its keys by LiteLLM name with
 * its default, and the block remembers which keys were asked for. Reading an empty block so gives the allowed-key
 * list: a key exists exactly where a stage reads it.
 */
final class SettingsBlock {

    private final Map<String, ?> values;
    private final ConfigValues rules;
    private final Set<String> asked = new TreeSet<>();

    SettingsBlock(Map<String, ?> values, ConfigValues rules) {
        this.values = values == null ? Map.of() : values;
        this.rules = rules;
    }

    private Object value(String key) {
        asked.add(key);
        return values.get(key);
    }

    String string(String key) {
        return rules.string(key, value(key));
    }

    /** The string, or {@code fallback} when the key is absent; a blank value stays blank, for the stage to refuse. */
    String string(String key, String fallback) {
        Object raw = value(key);
        return raw == null ? fallback : rules.string(key, raw);
    }

    List<String> strings(String key, List<String> fallback) {
        return rules.strings(key, value(key), fallback);
    }

    boolean bool(String key) {
        return rules.bool(key, value(key), false);
    }

    int number(String key, int fallback) {
        return (int) rules.number(key, value(key), fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    Duration seconds(String key, Duration fallback) {
        return rules.seconds(key, value(key), fallback);
    }

    <T> List<T> entries(String key, Function<ConfigValues.Entry, T> reader) {
        return rules.entries(key, value(key), reader);
    }

    /** The keys asked for so far. */
    Set<String> asked() {
        return Set.copyOf(asked);
    }
}
