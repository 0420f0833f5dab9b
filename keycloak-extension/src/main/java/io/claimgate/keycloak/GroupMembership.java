package io.claimgate.keycloak;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One group the user is a direct member of, as plain data: its full path (e.g. {@code /teams/research}), its name and
 * its attributes.
 */
public record GroupMembership(String path, String name, Map<String, List<String>> attributes) {

    public GroupMembership {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The first non-blank value of an attribute. */
    public Optional<String> attribute(String attributeName) {
        return AttributeValues.first(attributes, attributeName);
    }

    /** Every non-blank value of a multi-valued attribute, in stored order. */
    public List<String> attributeValues(String attributeName) {
        return AttributeValues.all(attributes, attributeName);
    }
}
