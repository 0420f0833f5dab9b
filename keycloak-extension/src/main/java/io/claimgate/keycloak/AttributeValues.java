package io.claimgate.keycloak;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads Keycloak-style multi-valued attributes, where a blank value counts as no value. */
final class AttributeValues {

    private AttributeValues() {
    }

    static Optional<String> first(Map<String, List<String>> attributes, String name) {
        return all(attributes, name).stream().findFirst();
    }

    static List<String> all(Map<String, List<String>> attributes, String name) {
        List<String> values = attributes == null ? null : attributes.get(name);
        if (values == null) {
            return List.of();
        }
        return values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }
}
